"""A real polling Application receives pushed messages and button presses."""

from __future__ import annotations

import asyncio
import contextlib
import time

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import BotApiEmulator, SentMessage
from tests.sandbox.helpers import polling_app

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Đồng ý", callback_data="vote:yes"),
                                  InlineKeyboardButton("❌ Không", callback_data="vote:no")]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Bạn đồng ý không?", reply_markup=KEYBOARD)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"Đã nhận {query.data}")
    await query.edit_message_text(f"Bạn chọn: {query.data}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text.upper())


HANDLERS = (CommandHandler("start", start), CallbackQueryHandler(pressed),
            MessageHandler(filters.TEXT & ~filters.COMMAND, echo))


async def test_private_conversation(emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    async with polling_app(emu, *HANDLERS):
        mark = emu.mark()
        emu.send_text(5, "/start")
        menu = await emu.wait_for_message(5, after=mark, timeout=5)
        assert menu.text == "Bạn đồng ý không?" and len(menu.buttons) == 2

        mark = emu.mark()
        emu.press_button_text(5, menu, "Đồng ý")
        await emu.wait_for_calls("editMessageText", chat_id=5, after=mark, timeout=5)
        assert menu.text == "Bạn chọn: vote:yes" and menu.buttons == []
        assert emu.callback_answers(5)[0].text == "Đã nhận vote:yes"

        mark = emu.mark()
        emu.press_button(5, menu, "vote:forged")  # not on the keyboard any more: still sent
        await emu.wait_for_calls("answerCallbackQuery", after=mark, chat_id=5, timeout=5)

        mark = emu.mark()
        emu.send_text(5, "xin chào")
        reply = await emu.wait_for_message(5, after=mark, timeout=5)
        assert reply.text == "XIN CHÀO"
        await emu.wait_idle(quiet=0.1, timeout=5)
        assert emu.pending_updates() == []

    kinds = [entry["kind"] for entry in emu.chat_log(5)]
    assert kinds == ["user", "bot", "button", "answer", "button", "answer", "user", "bot"]
    transcript = emu.transcript(5)
    assert "An pressed [✅ Đồng ý]" in transcript and "XIN CHÀO" in transcript


async def test_group_privacy_and_commands(emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    emu.add_group(-100, "Khối thi đua", members=[5], creator=5)
    async with polling_app(emu, *HANDLERS):
        mark = emu.mark()
        emu.send_text(5, "chuyện phiếm", chat_id=-100)  # privacy mode: the bot never sees it
        emu.send_text(5, "/start@thidua_test_bot", chat_id=-100)
        menu = await emu.wait_for_message(-100, after=mark, timeout=5)
        assert menu.chat_id == -100
        await emu.wait_idle(quiet=0.1, timeout=5)
        assert [m.text for m in emu.sent_messages(-100)] == ["Bạn đồng ý không?"]
        log = emu.chat_log(-100)
        assert [e["delivered"] for e in log] == [False, True, True]

        emu.set_member_status(-100, emu.bot_user["id"], "administrator")  # admins see all
        mark = emu.mark()
        emu.send_text(5, "giờ thấy rồi", chat_id=-100)
        echo_reply = await emu.wait_for_message(-100, after=mark, timeout=5)
        assert echo_reply.text == "GIỜ THẤY RỒI"


async def test_long_poll_is_not_a_busy_loop(emu: BotApiEmulator) -> None:
    async with polling_app(emu, *HANDLERS):
        before = len([c for c in emu.calls if c.method == "getUpdates"])
        await asyncio.sleep(1.2)
        during = len([c for c in emu.calls if c.method == "getUpdates"]) - before
        assert during <= 2  # one 1-second long poll finished, maybe a second one
        started = time.monotonic()
        emu.add_user(5, "An")
        emu.send_text(5, "/start")
        await emu.wait_for_message(5, timeout=5)
        assert time.monotonic() - started < 0.5  # delivered at once, not at the poll timeout


async def test_many_updates_in_order(emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    async with polling_app(emu, *HANDLERS):
        for i in range(200):
            emu.send_text(5, f"tin {i}")
        replies: list[SentMessage] = await emu.wait_for_messages(5, count=200, timeout=10)
        assert {m.text for m in replies} == {f"TIN {i}" for i in range(200)}
        ids = [m.message_id for m in emu.sent_messages(5)]
        assert ids == sorted(ids)


async def test_wait_idle_ignores_empty_polls(bot: Bot, emu: BotApiEmulator) -> None:
    async def short_polls() -> None:
        offset = None
        while True:
            updates = await bot.get_updates(offset=offset, timeout=0)
            if updates:
                offset = updates[-1].update_id + 1
            await asyncio.sleep(0.05)

    poller = asyncio.create_task(short_polls())
    try:
        await emu.wait_idle(quiet=0.3, timeout=2)  # empty polls are not "activity"
        emu.add_user(5, "An")
        emu.send_text(5, "hello")
        await emu.wait_idle(quiet=0.1, timeout=2)  # the poller confirmed it
        assert emu.pending_updates() == []
    finally:
        poller.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await poller
