"""The emulator refuses what Telegram refuses (issue 26): lengths in UTF-16 units, not
characters; explicit entities outside the text; and it reads attribute values as HTML."""

from __future__ import annotations

import pytest
from telegram import Bot, MessageEntity
from telegram.error import BadRequest

from bot.sandbox import ApiError, BotApiEmulator
from bot.sandbox.markup import parse_html

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


async def test_text_and_caption_limits_count_utf16_units(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(5, "🎉" * 2049)  # 2,049 characters, 4,098 units
    sent = await bot.send_message(5, "🎉" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.edit_message_text("😀" * 2049, chat_id=5, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(5, PNG, caption="🎉" * 513)
    assert (await bot.send_photo(5, PNG, caption="🎉" * 512)).caption == "🎉" * 512


async def test_callback_answer_limit_counts_utf16_units(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    sent = await bot.send_message(5, "x")
    query = emu.press_button(5, sent.message_id, "forged")
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query["id"], "🎉" * 101)


async def test_explicit_entities_must_lie_inside_the_text(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(5, "🎉ab", entities=[MessageEntity("bold", 2, 3)])  # 4 units
    ok = await bot.send_message(5, "🎉ab", entities=[MessageEntity("bold", 2, 2)])
    assert ok.entities[0].offset == 2


def test_users_formatting_is_checked_and_delivered(emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    link = {"type": "text_link", "offset": 0, "length": 2, "url": 'https://x/"><b>'}
    message = emu.send_text(5, "xem", entities=[link])
    assert message["entities"] == [link]
    with pytest.raises(ApiError, match=r"can.t parse entities"):
        emu.send_text(5, "xem", entities=[{"type": "bold", "offset": 2, "length": 5}])


def test_attribute_values_are_html() -> None:
    _, entities = parse_html('<a href="https://x.org/?a=1&amp;b=&quot;&gt;&lt;b&gt;">x</a>'
                             '<pre><code class="language-&quot;&gt;">y</code></pre>')
    assert entities[0]["url"] == 'https://x.org/?a=1&b="><b>'
    assert entities[1]["language"] == '">'
    with pytest.raises(ApiError, match=r"can.t parse entities"):
        parse_html('<a href="https://x/"><b>">x</a>')  # what an unescaped address makes
