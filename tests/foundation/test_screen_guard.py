"""handlers.screens as the guard of the sending path (issue 26): a screen Telegram would
refuse for its length is split (a message) or clipped (an edit, a caption), never sent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.buttons import keyboard
from bot.formatting import utf16_len
from bot.sandbox import BotApiEmulator
from handlers.screens import edit_screen, one_message, send_known_photo, send_screen

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
BUTTONS = keyboard([[("Làm mới", "rp:o:1")]])
LONG = "<b>Tiêu đề</b>\n\n" + "\n\n".join(f"Đoạn {n}: " + "nội dung 🎉 " * 40 for n in range(30))


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        emulator.add_user(501, "Lan", started=True)
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    async with ExtBot(emu.token, base_url=f"{emu.url}/bot",
                      defaults=Defaults(parse_mode=ParseMode.HTML)) as real:
        yield real


async def test_a_long_screen_goes_as_several_messages_buttons_under_the_last(
    bot: ExtBot[None], emu: BotApiEmulator
) -> None:
    await send_screen(bot, 501, LONG, BUTTONS)
    sent = emu.sent_messages(501)
    assert len(sent) > 1
    assert all(utf16_len(m.text or "") <= 4096 for m in sent)
    assert [bool(m.buttons) for m in sent] == [False] * (len(sent) - 1) + [True]
    assert "".join(m.text or "" for m in sent).count("🎉") == LONG.count("🎉")


async def test_an_edit_and_a_caption_are_clipped(bot: ExtBot[None], emu: BotApiEmulator) -> None:
    await send_screen(bot, 501, "ngắn", BUTTONS)
    first = emu.sent_messages(501)[0]
    await edit_screen(bot, 501, first.message_id, LONG, BUTTONS)
    edited = emu.sent_messages(501)[0]
    assert (edited.text or "").endswith("…") and utf16_len(edited.text or "") <= 4096
    assert [b["callback_data"] for b in edited.buttons] == ["rp:o:1"]
    photo = await bot.send_photo(501, PNG)
    await send_known_photo(bot, 501, photo.photo[-1].file_id, "<i>" + "🎉" * 700 + "</i>")
    caption = emu.sent_messages(501)[-1].caption or ""
    assert caption.endswith("…") and utf16_len(caption) <= 1024


def test_one_message_leaves_what_fits_alone() -> None:
    assert one_message("<b>Đợt 1</b>") == "<b>Đợt 1</b>"
    clipped = one_message("<b>" + "x " * 3000 + "</b>", 1024)
    assert clipped.startswith("<b>x x") and clipped.endswith("</b>…")
    assert utf16_len(clipped) <= 1024 + len("<b></b>")
