"""split_text: parts under the limit, cut where a reader expects, formatting intact."""

from __future__ import annotations

import html
import re

import pytest

from bot.outbox.split import clip_html, fits, split_text, utf16_len, visible_length
from bot.sandbox.markup import parse_html


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_short_text_is_returned_unchanged() -> None:
    text = "<b>Kính gửi</b> các đơn vị &amp; cá nhân."
    assert split_text(text) == [text]


def test_every_part_fits_and_nothing_is_lost() -> None:
    paragraphs = [f"Đoạn {i}: " + "Nội dung giao ước thi đua năm 2023. " * 20 for i in range(40)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text, 4096)
    assert len(parts) > 1
    assert all(visible_length(p) <= 4096 for p in parts)
    assert re.sub(r"\s+", "", "".join(plain(p) for p in parts)) == re.sub(r"\s+", "", text)


def test_cuts_at_a_paragraph_before_a_sentence() -> None:
    first = "Một là, " + "thực hiện tốt nhiệm vụ chính trị. " * 5
    second = "Hai là, " + "đẩy mạnh phong trào thi đua. " * 5
    parts = split_text(first + "\n\n" + second, len(first) + 40)
    assert parts == [first.strip(), second.strip()]


def test_cuts_after_a_sentence_when_there_is_no_paragraph() -> None:
    text = "Câu thứ nhất rất dài về kế hoạch. Câu thứ hai cũng dài về báo cáo. Câu ba."
    parts = split_text(text, 50)
    assert parts[0] == "Câu thứ nhất rất dài về kế hoạch."
    assert all(utf16_len(p) <= 50 for p in parts)


def test_formatting_spanning_a_cut_is_closed_and_reopened() -> None:
    text = "<b>" + "chữ đậm " * 30 + "</b>"
    parts = split_text(text, 100)
    assert len(parts) == 3
    for part in parts:
        assert part.startswith("<b>") and part.endswith("</b>")
        assert visible_length(part) <= 100


def test_links_keep_their_address_in_every_part() -> None:
    text = '<a href="https://example.org/a?b=1&amp;c=2">' + "xem văn bản " * 20 + "</a>"
    parts = split_text(text, 80)
    assert all(p.startswith('<a href="https://example.org/a?b=1&amp;c=2">') for p in parts)


def test_entities_are_counted_as_one_character_and_never_cut() -> None:
    text = "a&amp;b " * 100
    parts = split_text(text, 64)
    assert all(visible_length(p) <= 64 for p in parts)
    assert all("&amp;" in p and "&am " not in p for p in parts)


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    parts = split_text("x" * 250, 100)
    assert [len(p) for p in parts] == [100, 100, 50]


def test_emoji_count_as_two_utf16_units() -> None:
    parts = split_text("🎉" * 60, 100)
    assert [visible_length(p) for p in parts] == [100, 20]


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 0)


def test_clip_html_keeps_one_message_with_every_tag_closed() -> None:
    markup = "<b>Tiêu đề</b>\n" + "<i>" + "nội dung 🎉 " * 800 + "</i>"
    clipped = clip_html(markup, 4096)
    plain, entities = parse_html(clipped)  # Telegram's parser accepts it
    assert utf16_len(plain) <= 4096 and plain.endswith("…")
    assert {e["type"] for e in entities} == {"bold", "italic"}
    assert clip_html("<b>ngắn</b>") == "<b>ngắn</b>"


def test_clip_html_counts_emoji_as_two() -> None:
    clipped = clip_html("🎉" * 3000, 4096)
    assert visible_length(clipped) <= 4096 and clipped.endswith("…")


def test_fits_counts_what_telegram_counts() -> None:
    assert fits("<b>" + "x" * 4096 + "</b>")  # tags are not counted
    assert fits("&amp;" * 4096)  # an entity is one character
    assert not fits("🎉" * 2049)  # 4,098 units
