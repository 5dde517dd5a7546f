"""Paced polling (bot/polling.py): no new getUpdates while updates wait to be processed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import factory
from bot.config import load_settings
from bot.polling import PacedPollRequest, drained
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


async def test_an_empty_queue_does_not_wait() -> None:
    await asyncio.wait_for(drained(asyncio.Queue(), within=5), timeout=0.5)


async def test_drained_returns_when_the_last_update_is_processed() -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait("u1")
    queue.put_nowait("u2")
    waiting = asyncio.create_task(drained(queue, within=5))
    queue.get_nowait()
    queue.task_done()
    queue.get_nowait()
    await asyncio.sleep(0.02)
    assert not waiting.done()  # the last one is taken but still being processed
    queue.task_done()
    await asyncio.wait_for(waiting, timeout=0.5)


async def test_a_stuck_queue_stops_holding_the_poll_after_the_cap() -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait("never taken")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await drained(queue, within=0.1)
    assert 0.09 <= loop.time() - started < 1.0


async def test_the_long_poll_waits_for_the_backlog(emulator: BotApiEmulator) -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    request = PacedPollRequest(queue)
    await request.initialize()
    try:
        queue.put_nowait("u1")
        url = f"{emulator.url}/bot{emulator.token}/getUpdates"
        poll = asyncio.create_task(request.do_request(url, "POST"))
        await asyncio.sleep(0.1)
        assert _polls(emulator) == 0 and not poll.done()  # held back: work is waiting
        queue.get_nowait()
        queue.task_done()
        status, _ = await asyncio.wait_for(poll, timeout=5)
        assert status == 200 and _polls(emulator) == 1
        # Nothing waiting: the next poll goes out at once.
        status, _ = await asyncio.wait_for(request.do_request(url, "POST"), timeout=5)
        assert status == 200 and _polls(emulator) == 2
    finally:
        await request.shutdown()


def test_the_bot_is_built_with_paced_polling(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[PacedPollRequest] = []

    class Recorded(PacedPollRequest):
        def __init__(self, queue: asyncio.Queue[Any], *args: Any) -> None:
            super().__init__(queue, *args)
            made.append(self)

    monkeypatch.setattr(factory, "PacedPollRequest", Recorded)
    settings = load_settings(BOT_TOKEN="123456:TEST-TOKEN",
                             DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    application = factory.build_application(settings)
    # The long poll watches the queue the application takes its updates from; only it is
    # paced, answers and sends go out through PTB's own request.
    [polling] = made
    assert polling.queue is application.update_queue
    assert not isinstance(application.bot.request, PacedPollRequest)
    assert application.updater is not None
    assert application.updater.update_queue is application.update_queue
