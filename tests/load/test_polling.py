"""Paced polling (bot/polling.py): no new getUpdates while updates wait in the queue."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.config import load_settings
from bot.factory import build_application
from bot.polling import PacedPollRequest, UpdateBacklog
from bot.sandbox import BotApiEmulator


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


def _polls(emu: BotApiEmulator) -> int:
    return sum(1 for call in emu.calls if call.method == "getUpdates")


async def test_an_empty_backlog_does_not_wait() -> None:
    backlog = UpdateBacklog()
    await asyncio.wait_for(backlog.drained(within=5), timeout=0.5)


async def test_drained_returns_when_the_last_update_is_taken() -> None:
    backlog = UpdateBacklog()
    backlog.put_nowait("u1")
    backlog.put_nowait("u2")
    waiting = asyncio.create_task(backlog.drained(within=5))
    await asyncio.sleep(0.02)
    backlog.get_nowait()
    await asyncio.sleep(0.02)
    assert not waiting.done()  # one still waits
    backlog.get_nowait()
    await asyncio.wait_for(waiting, timeout=0.5)


async def test_a_stuck_backlog_stops_holding_the_poll_after_the_cap() -> None:
    backlog = UpdateBacklog()
    backlog.put_nowait("never taken")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await backlog.drained(within=0.1)
    assert 0.09 <= loop.time() - started < 1.0


async def test_the_long_poll_waits_for_the_backlog(emulator: BotApiEmulator) -> None:
    backlog = UpdateBacklog()
    request = PacedPollRequest(backlog)
    await request.initialize()
    try:
        backlog.put_nowait("u1")
        url = f"{emulator.url}/bot{emulator.token}/getUpdates"
        poll = asyncio.create_task(request.do_request(url, "POST"))
        await asyncio.sleep(0.1)
        assert _polls(emulator) == 0 and not poll.done()  # held back: work is waiting
        backlog.get_nowait()
        status, _ = await asyncio.wait_for(poll, timeout=5)
        assert status == 200 and _polls(emulator) == 1
        # Nothing waiting: the next poll goes out at once.
        status, _ = await asyncio.wait_for(request.do_request(url, "POST"), timeout=5)
        assert status == 200 and _polls(emulator) == 2
    finally:
        await request.shutdown()


def test_the_bot_is_built_with_paced_polling(tmp_path: Path) -> None:
    settings = load_settings(BOT_TOKEN="123456:TEST-TOKEN",
                             DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    application = build_application(settings)
    assert isinstance(application.update_queue, UpdateBacklog)
    # PTB keeps (getUpdates request, other requests); only the long poll is paced.
    polling, sending = application.bot._request
    assert isinstance(polling, PacedPollRequest)
    assert not isinstance(sending, PacedPollRequest)
    assert application.updater is not None
    assert application.updater.update_queue is application.update_queue


def _press(data: str) -> dict[str, Any]:
    message = {"message_id": 5, "date": 1_700_000_000, "chat": {"id": 77, "type": "private"},
               "text": "Báo cáo Đợt 1",
               "entities": [{"type": "bold", "offset": 0, "length": 7}],
               "reply_markup": {"inline_keyboard": [[{"text": "TC1", "callback_data": data}]]}}
    who = {"id": 77, "is_bot": False, "first_name": "Lan"}
    return {"update_id": 1, "callback_query": {"id": "q", "from": who, "chat_instance": "c",
                                               "data": data, "message": message}}


def test_a_press_on_a_screen_redrawn_from_the_database_comes_without_its_keyboard() -> None:
    """What PTB parses of a getUpdates answer: the pressed report form keeps where it is
    (chat, message id) and its text, not its entities and buttons; a press that is not
    listed (covenant_view reads the keyboard), a message and an error stay whole."""
    lean, listed_not = _press("rp:c:1:2"), _press("cv:v:1")
    typed = {"update_id": 3, "message": {"message_id": 9, "chat": {"id": 77}, "text": "/status",
                                         "entities": [{"type": "bot_command", "offset": 0,
                                                       "length": 7}]}}
    payload = json.dumps({"ok": True, "result": [lean, listed_not, typed]}).encode()
    [got_lean, got_other, got_typed] = PacedPollRequest.parse_json_payload(payload)["result"]
    pressed = got_lean["callback_query"]["message"]
    assert pressed == {"message_id": 5, "date": 1_700_000_000,
                       "chat": {"id": 77, "type": "private"}, "text": "Báo cáo Đợt 1"}
    assert got_lean["callback_query"]["data"] == "rp:c:1:2"
    assert got_other == listed_not and got_typed == typed
    refusal = b'{"ok": false, "error_code": 409, "description": "Conflict"}'
    assert PacedPollRequest.parse_json_payload(refusal)["description"] == "Conflict"
    parsed = Update.de_json(got_lean, None)
    assert parsed.callback_query is not None and parsed.callback_query.message is not None
    assert parsed.callback_query.message.message_id == 5
