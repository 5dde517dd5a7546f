"""handlers.screens: the same Bot API calls as send_message / edit_message_text (HTML by
the bot's defaults, keyboard, forum topic), against the emulator, with Telegram's answer
left unparsed."""

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

from bot.keyboard import Keyboard
from bot.sandbox import BotApiEmulator
from handlers.screens import answer_screen, edit_screen, send_known_photo, send_screen

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
            with pytest.raises(BadRequest, match="not modified"):
                await edit_screen(bot, 501, sent["message_id"], "<i>Đã lưu</i>")
        edited = emu.chat_log(501)[-1]["message"]
    assert sent["text"] == "Báo cáo Đợt 1" and sent["entities"][0]["type"] == "bold"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rp:c:1:2"
    assert edited["text"] == "Đã lưu" and edited["entities"][0]["type"] == "italic"
    assert "reply_markup" not in edited  # no markup: the keyboard goes, as in Telegram


class RecordingBot:
    defaults = Defaults(parse_mode=ParseMode.HTML)

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def do_api_request(self, endpoint: str, api_kwargs: dict[str, Any]) -> bool:
        self.calls.append((endpoint, api_kwargs))
        return True


@pytest.mark.parametrize(("topic", "expected"), [(False, None), (True, 42)])
async def test_an_answer_stays_in_the_forum_topic_it_answers(topic: bool,
                                                            expected: int | None) -> None:
    bot = RecordingBot()
    message = SimpleNamespace(is_topic_message=topic, message_thread_id=42 if topic else None)
    update = SimpleNamespace(effective_chat=SimpleNamespace(id=-100123),
                             effective_message=message, get_bot=lambda: bot)
    await answer_screen(update, "Tình hình", KEYBOARD)  # type: ignore[arg-type]
    [(endpoint, fields)] = bot.calls
    assert endpoint == "sendMessage" and fields["chat_id"] == -100123
    assert fields.get("message_thread_id") == expected
    assert fields["parse_mode"] == ParseMode.HTML and fields["reply_markup"] is KEYBOARD


def test_a_light_keyboard_is_the_json_of_the_same_inline_keyboard() -> None:
    rows = [[("✏️ TC1: 12,5", "rp:c:1:1")], [], [("📎 Minh chứng", "rp:e:1"), ("📤 Nộp", "rp:s:1")]]
    light = Keyboard(rows)
    ptb = InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data)
                                 for text, data in row] for row in rows if row])
    assert light.as_json() == ptb.to_dict()  # what Telegram receives is the same
    assert [[b.callback_data for b in row] for row in light.inline_keyboard] == [
        ["rp:c:1:1"], ["rp:e:1", "rp:s:1"]]  # the empty row is left out, as before


async def test_a_light_keyboard_reaches_telegram_as_buttons() -> None:
    async with BotApiEmulator() as emu:
        emu.add_user(501, "Lan", started=True)
        async with ExtBot(emu.token, base_url=f"{emu.url}/bot") as bot:
            await send_screen(bot, 501, "Báo cáo", Keyboard([[("Đợt 1", "rp:c:1:2")]]))
        sent = emu.chat_log(501)[-1]["message"]
    assert sent["reply_markup"] == {"inline_keyboard": [[{"text": "Đợt 1",
                                                          "callback_data": "rp:c:1:2"}]]}


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
