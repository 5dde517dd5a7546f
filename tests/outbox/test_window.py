"""The window: several chats in flight at once, never two messages of one chat, each chat in
order; a 429 pauses its chat (or, in a flood, all); never more rows claimed than the window."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from telegram.error import NetworkError, RetryAfter

from bot.outbox import Outgoing, Policy
from bot.outbox.limiter import Pacer
from bot.outbox.pace import FLOOD_CHATS, WINDOW
from bot.outbox.sender import Outbox
from bot.runtime import Runtime
from bot.services.clock import ManualClock
from storage import outbox as outbox_repo
from storage.db import Database
from storage.outbox.tables import outbox as outbox_table
from tests.outbox.conftest import FAST, FakeBot
from tests.outbox.test_worker import notice, put

ROUND_TRIP = 0.1


async def run(box: Outbox) -> None:
    box.wake()
    await asyncio.wait_for(box.idle(), 20)


async def sending_rows(db: Database) -> int:
    async with db.read() as conn:
        query = select(func.count()).where(outbox_table.c.state == "sending")
        return int((await conn.execute(query)).scalar_one())


async def test_a_window_of_chats_in_flight_each_in_order(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.delay = ROUND_TRIP
    items = [notice(uid) for uid in range(1, 61)]
    items += [Outgoing(chat_id=uid, text=f"thứ hai {uid}", dedupe_key=f"2:{uid}")
              for uid in range(1, 11)]
    await put(db, clock, items)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await run(outbox)
    took = loop.time() - start
    assert fake_bot.max_in_flight == WINDOW
    assert fake_bot.overlaps == set()  # never two messages of one chat at once
    for uid in range(1, 11):
        texts = [s["text"] for s in fake_bot.sent if s["chat_id"] == uid]
        assert texts == [f"tin {uid}", f"thứ hai {uid}"]
    # 70 round trips one after the other would take 7 s.
    assert took < 70 * ROUND_TRIP / 3


async def test_never_more_rows_claimed_than_the_window(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.delay = ROUND_TRIP
    seen: list[int] = []
    pending: list[asyncio.Future[None]] = []

    async def count() -> None:
        seen.append(await sending_rows(db))

    fake_bot.on_call = lambda record: pending.append(asyncio.ensure_future(count()))
    await put(db, clock, [notice(uid) for uid in range(1, 41)])
    await run(outbox)
    await asyncio.gather(*pending)
    assert max(seen) <= WINDOW and len(seen) == 40


async def test_a_chat_at_its_limit_waits_alone(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.delay = 0.02
    fake_bot.faults[5] = [RetryAfter(timedelta(seconds=0.5))]
    await put(db, clock, [notice(uid) for uid in range(1, 21)]
              + [Outgoing(chat_id=5, text="sau", dedupe_key="5:later")])
    await run(outbox)
    loop_log = fake_bot.log
    refused_at = next(end for start, end, chat, error in loop_log if error)
    others = [end for start, end, chat, error in loop_log if chat != 5]
    assert max(others) < refused_at + 0.4  # everybody else went on meanwhile
    fives = [(start, error) for start, end, chat, error in loop_log if chat == 5]
    assert [e for _, e in fives] == ["RetryAfter", None, None]
    assert fives[1][0] >= refused_at + 0.5
    assert [s["text"] for s in fake_bot.sent if s["chat_id"] == 5] == ["tin 5", "sau"]


async def test_a_flood_pauses_every_chat(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.delay = 0.02
    for uid in range(1, FLOOD_CHATS + 1):
        fake_bot.faults[uid] = [RetryAfter(timedelta(seconds=0.5))]
    await put(db, clock, [notice(uid) for uid in range(1, 41)])
    await run(outbox)
    floods = [end for start, end, chat, error in fake_bot.log if error]
    flood_seen = sorted(floods)[FLOOD_CHATS - 1]
    started_in_flood = [start for start, end, chat, error in fake_bot.log
                        if flood_seen + 0.01 < start < flood_seen + 0.49]
    assert started_in_flood == []
    assert len(fake_bot.sent) == 40


async def test_a_network_error_pauses_all_sending_for_the_backoff(
    db: Database, clock: ManualClock, runtime: Runtime, fake_bot: FakeBot
) -> None:
    box = Outbox(runtime.db, runtime.clock, runtime.texts, fake_bot,  # type: ignore[arg-type]
                 policy=Policy(max_attempts=3, backoff_first=0.4, backoff_max=1))
    fake_bot.delay = 0.02
    fake_bot.faults[1] = [NetworkError("Bad Gateway")]
    await put(db, clock, [notice(uid) for uid in range(1, 31)])
    try:
        await run(box)
    finally:
        await box.close()
    failed_at = next(end for start, end, chat, error in fake_bot.log if error)
    late = [start for start, end, chat, error in fake_bot.log if start > failed_at + 0.01]
    assert late and min(late) >= failed_at + 0.4
    assert len(fake_bot.sent) == 30


async def test_the_window_is_a_setting(
    db: Database, clock: ManualClock, runtime: Runtime, fake_bot: FakeBot
) -> None:
    box = Outbox(runtime.db, runtime.clock, runtime.texts, fake_bot,  # type: ignore[arg-type]
                 policy=FAST, window=1)
    fake_bot.delay = 0.01
    await put(db, clock, [notice(uid) for uid in (3, 1, 2)])
    try:
        await run(box)
    finally:
        await box.close()
    assert fake_bot.max_in_flight == 1
    assert [s["chat_id"] for s in fake_bot.sent] == [3, 1, 2]


async def test_a_wake_up_while_the_pump_looks_for_the_last_time_is_not_lost(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_count = outbox_repo.open_count
    calls = 0

    async def count_then_enqueue(conn: AsyncConnection) -> int:
        nonlocal calls
        calls += 1
        seen = await real_count(conn)
        if calls == 1:  # a producer commits and wakes the outbox right after this read
            await put(db, clock, [notice(77, "late")])
            outbox.wake()
        return seen

    monkeypatch.setattr(outbox_repo, "open_count", count_then_enqueue)
    await run(outbox)
    assert [s["chat_id"] for s in fake_bot.sent] == [77]


async def test_a_group_at_its_limit_holds_no_place_in_the_window(
    db: Database, clock: ManualClock, runtime: Runtime, fake_bot: FakeBot
) -> None:
    pacer = Pacer(overall_max_rate=1000, group_max_rate=2, group_time_period=2.0,
                  max_retries=0)

    async def nothing(*args: object) -> dict[str, object]:
        return {}

    for _ in range(2):  # the group's two of every two seconds are taken
        await pacer.process_request(nothing, (), {}, "sendMessage", {"chat_id": -100}, None)
    fake_bot.rate_limiter = pacer
    fake_bot.delay = 0.01
    box = Outbox(runtime.db, runtime.clock, runtime.texts, fake_bot,  # type: ignore[arg-type]
                 policy=FAST, window=1)
    await put(db, clock, [notice(-100)] + [notice(uid) for uid in range(1, 6)])
    try:
        await run(box)
    finally:
        await box.close()
    # With a window of one, a group message waiting for its turn would hold up everybody.
    assert [s["chat_id"] for s in fake_bot.sent] == [1, 2, 3, 4, 5, -100]
