"""bot.entities: a person's formatted message back into Telegram HTML, every value that
came from them escaped, attributes included (issue 26: a link to `"><b>`)."""

from __future__ import annotations

from telegram import MessageEntity, User

from bot.entities import to_html
from bot.sandbox.markup import parse_html

HOSTILE = '"><b>'


def round_trip(text: str, entities: list[MessageEntity]) -> tuple[str, list[dict[str, object]]]:
    return parse_html(to_html(text, entities))


def test_a_hostile_link_address_and_code_language_stay_values() -> None:
    text = "Xem hướng dẫn và mã nguồn"
    link = MessageEntity("text_link", text.index("hướng"), 9, url="https://x.org/" + HOSTILE)
    pre = MessageEntity("pre", text.index("mã"), 7, language=HOSTILE)
    markup = to_html(text, [link, pre])
    assert HOSTILE not in markup
    plain, found = parse_html(markup)  # Telegram reads it, as it was written
    assert plain == text
    assert {"type": "text_link", "offset": 4, "length": 9,
            "url": "https://x.org/" + HOSTILE} in found
    assert any(e["type"] == "pre" and e.get("language") == HOSTILE for e in found)


def test_text_is_escaped_and_offsets_count_utf16() -> None:
    text = "🎉 <b>không phải thẻ</b> & cả đây"
    bold = MessageEntity("bold", 3, 4)  # "<b>k" after the emoji (2 units) and a space
    plain, found = round_trip(text, [bold])
    assert plain == text
    assert found == [{"type": "bold", "offset": 3, "length": 4}]


def test_nested_and_crossing_entities_give_well_formed_html() -> None:
    text = "một hai ba bốn"
    entities = [MessageEntity("bold", 0, 7), MessageEntity("italic", 4, 6),
                MessageEntity("underline", 0, 14), MessageEntity("spoiler", 11, 3)]
    plain, found = round_trip(text, entities)
    assert plain == text
    covered = {(e["type"], e["offset"], e["length"]) for e in found}
    assert ("bold", 0, 7) in covered and ("underline", 0, 14) in covered
    # the italic crossing the bold's end is closed and opened again around it
    assert {("italic", 4, 3), ("italic", 7, 3)} <= covered


def test_what_telegram_finds_itself_stays_plain_and_mentions_keep_the_user() -> None:
    text = "/report DOT1 @someone https://x.org Lan"
    entities = [MessageEntity("bot_command", 0, 7), MessageEntity("mention", 13, 8),
                MessageEntity("url", 22, 13),
                MessageEntity("text_mention", 36, 3, user=User(42, "Lan", False))]
    markup = to_html(text, entities)
    assert markup == '/report DOT1 @someone https://x.org <a href="tg://user?id=42">Lan</a>'


def test_no_text_and_forged_offsets() -> None:
    assert to_html(None, None) == "" and to_html("", []) == ""
    assert to_html("a<b", None) == "a&lt;b"
    # offsets beyond the text or inside an emoji (only a forged update has them)
    plain, _ = round_trip("🎉x", [MessageEntity("bold", 1, 50), MessageEntity("code", -3, 1)])
    assert plain.endswith("x")
