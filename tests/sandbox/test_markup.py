"""The formatting parsers on their own (no server needed)."""

from __future__ import annotations

import pytest

from bot.sandbox import ApiError
from bot.sandbox.content import render
from bot.sandbox.markdown import parse_markdown
from bot.sandbox.markup import detect_entities, parse_html


def test_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_html('😀 <b>Điểm</b> <a href="https://x.vn">link</a>')
    assert text == "😀 Điểm link"
    assert entities == [{"type": "bold", "offset": 3, "length": 4},
                        {"type": "text_link", "offset": 8, "length": 4, "url": "https://x.vn"}]


def test_html_pre_code_language_and_spoiler() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>'
                                '<span class="tg-spoiler">s</span>')
    assert text == "x = 1s"
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"},
                        {"type": "spoiler", "offset": 5, "length": 1}]


@pytest.mark.parametrize("bad", ["a < b", "<b>x", "</i>", "<b><i>x</b></i>", "<div>x</div>",
                                 "<span>x</span>"])
def test_html_errors(bad: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities"):
        parse_html(bad)


def test_markdown_v2() -> None:
    text, entities = parse_markdown("*đậm* _nghiêng_ __gạch__ ||ẩn|| `m\\`ã` 9\\.5 "
                                    "[link](https://a.vn/\\))", v2=True)
    assert text == "đậm nghiêng gạch ẩn m`ã 9.5 link"
    assert [e["type"] for e in entities] == ["bold", "italic", "underline", "spoiler", "code",
                                             "text_link"]
    assert entities[-1]["url"] == "https://a.vn/)"
    with pytest.raises(ApiError, match="Character '-' is reserved"):
        parse_markdown("1-2", v2=True)
    with pytest.raises(ApiError, match="Can't find end of Bold entity"):
        parse_markdown("*đậm", v2=True)


def test_legacy_markdown_and_plain() -> None:
    assert parse_markdown("*a* 1.5 - x", v2=False) == (
        "a 1.5 - x", [{"type": "bold", "offset": 0, "length": 1}])
    assert render("  cắt khoảng trắng \n", None, None) == ("cắt khoảng trắng", [])


def test_detect_entities() -> None:
    found = detect_entities("/diem@thidua_test_bot 5 @someone https://x.vn /help")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 21), ("mention", 24, 8), ("url", 33, 12), ("bot_command", 46, 5)]
