"""handlers.screens: screens go out through PTB's own methods as HTML by the bot's defaults,
with their keyboard (plain buttons or PTB's markup), in the forum topic they answer;
Telegram's "not modified" is recognised; a known photo goes by its file id."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Defaults, ExtBot

from bot.buttons import Button, keyboard
from bot.sandbox import BotApiEmulator
from handlers.screens import (
    answer_screen,
    edit_buttons,
    edit_screen,
    send_known_photo,
    send_screen,
    unchanged,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Đợt 1", callback_data="rp:c:1:2")]])


async def test_send_and_edit_go_out_as_html_with_the_keyboard() -> None:
    async with BotApiEmulator() as emu:
        emu.add_user(501, "Lan", started=True)
        bot = ExtBot(emu.token, base_url=f"{emu.url}/bot",
                     defaults=Defaults(parse_mode=ParseMode.HTML))
        async with bot:
            await send_screen(bot, 501, "<b>Báo cáo</b> Đợt 1", KEYBOARD)
            sent = dict(emu.chat_log(501)[-1]["message"])
            await edit_screen(bot, 501, sent["message_id"], "<i>Đã lưu</i>")
            with pytest.raises(BadRequest, match="not modified") as refused:
                await edit_screen(bot, 501, sent["message_id"], "<i>Đã lưu</i>")
        edited = emu.chat_log(501)[-1]["message"]
    assert unchanged(refused.value)
    assert sent["text"] == "Báo cáo Đợt 1" and sent["entities"][0]["type"] == "bold"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rp:c:1:2"
    assert edited["text"] == "Đã lưu" and edited["entities"][0]["type"] == "italic"
    assert "reply_markup" not in edited  # no markup: the keyboard goes, as in Telegram


class RecordingBot:
    """Records the send_message calls answer_screen makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, dict[str, Any]]] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.calls.append((chat_id, text, kwargs))


@pytest.mark.parametrize(("topic", "expected"), [(False, None), (True, 42)])
async def test_an_answer_stays_in_the_forum_topic_it_answers(topic: bool,
                                                            expected: int | None) -> None:
    bot = RecordingBot()
    message = SimpleNamespace(is_topic_message=topic, message_thread_id=42 if topic else None)
    update = SimpleNamespace(effective_chat=SimpleNamespace(id=-100123),
                             effective_message=message, get_bot=lambda: bot)
    await answer_screen(update, "Tình hình", KEYBOARD)  # type: ignore[arg-type]
    [(chat_id, text, fields)] = bot.calls
    assert chat_id == -100123 and text == "Tình hình"
    assert fields["message_thread_id"] == expected and fields["reply_markup"] is KEYBOARD


async def test_plain_buttons_reach_telegram_as_an_inline_keyboard() -> None:
    rows = keyboard([[("Đợt 1", "rp:c:1:2")], [("📎 Minh chứng", "rp:e:1")]])
    async with BotApiEmulator() as emu:
        emu.add_user(501, "Lan", started=True)
        async with ExtBot(emu.token, base_url=f"{emu.url}/bot") as bot:
            await send_screen(bot, 501, "Báo cáo", rows)
            sent = emu.chat_log(501)[-1]["message"]
            await edit_buttons(bot, 501, sent["message_id"],
                               ((Button("Mở", url="https://example.org/a"),),))
        redrawn = emu.chat_log(501)[-1]["message"]
    assert sent["reply_markup"] == {"inline_keyboard": [
        [{"text": "Đợt 1", "callback_data": "rp:c:1:2"}],
        [{"text": "📎 Minh chứng", "callback_data": "rp:e:1"}]]}
    assert redrawn["reply_markup"] == {"inline_keyboard": [
        [{"text": "Mở", "url": "https://example.org/a"}]]}


async def test_a_known_photo_is_sent_by_its_file_id_and_a_stale_id_refused() -> None:
    picture = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(picture, format="PNG")
    async with BotApiEmulator() as emu:
        emu.add_user(501, "Lan", started=True)
        bot = ExtBot(emu.token, base_url=f"{emu.url}/bot",
                     defaults=Defaults(parse_mode=ParseMode.HTML))
        async with bot:
            first = await bot.send_photo(501, picture.getvalue())
            await send_known_photo(bot, 501, first.photo[-1].file_id, "<b>Xếp hạng</b> Đợt 1")
            with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
                await send_known_photo(bot, 501, "no-such-file", "Xếp hạng")
        again = emu.chat_log(501)[-1]["message"]
    assert again["photo"][-1]["file_id"] == first.photo[-1].file_id
    assert again["caption"] == "Xếp hạng Đợt 1" and again["caption_entities"][0]["type"] == "bold"
