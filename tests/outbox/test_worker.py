"""The worker: order, retries, 403/400/migration handling, crash resume, hooks, uploads."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from telegram import InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.outbox import Delivery, Outgoing, State, enqueue
from bot.outbox.sender import Outbox
from bot.services.clock import ManualClock
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.db import Database
from storage.outbox.tables import outbox as outbox_table
from tests.outbox.conftest import FakeBot, setup_block


async def put(db: Database, clock: ManualClock, items: list[Outgoing]) -> None:
    async with db.transaction() as conn:
        await enqueue(conn, items, clock.now())


async def run(outbox: Outbox) -> None:
    outbox.wake()
    await asyncio.wait_for(outbox.idle(), 10)


def texts_to(bot: FakeBot, chat_id: int) -> list[str]:
    return [s["text"] for s in bot.sent if s["chat_id"] == chat_id and "text" in s]


def notice(uid: int, batch: str = "b", block_id: int | None = None) -> Outgoing:
    return Outgoing(chat_id=uid, text=f"tin {uid}", batch=batch, dedupe_key=f"{batch}:{uid}",
                    tg_user_id=uid, block_id=block_id)


async def test_sends_in_enqueue_order_and_records_message_ids(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    await put(db, clock, [notice(uid) for uid in (30, 10, 20)] + [notice(-100)])
    await run(outbox)
    private = [s["chat_id"] for s in fake_bot.sent if s["chat_id"] > 0]
    assert private == [30, 10, 20]
    async with db.read() as conn:
        ids = await outbox_repo.sent_message_ids(conn, "b")
        counts = await outbox_repo.batch_counts(conn, "b")
    assert ids == {"b:30": (30, 1), "b:10": (10, 1), "b:20": (20, 1), "b:-100": (-100, 1)}
    assert counts == {State.SENT: 4}


async def test_429_waits_and_is_not_counted_as_an_attempt(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.faults[10] = [RetryAfter(timedelta(seconds=0.05))] * 5
    await put(db, clock, [notice(10)])
    await run(outbox)
    async with db.read() as conn:
        row = (await outbox_repo.rows_by_keys(conn, ["b:10"]))["b:10"]
    assert row.state is State.SENT and row.attempts == 1
    assert fake_bot.calls == 6


async def test_network_errors_back_off_then_fail_and_the_chair_is_told(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    block = await setup_block(db, clock, {"VPTU": [1], "UBKT": [10, 11]})
    fake_bot.faults[10] = [NetworkError("Bad Gateway")] * 3  # the policy allows 3 attempts
    fake_bot.faults[11] = [NetworkError("Bad Gateway")]  # recovers on the 2nd attempt
    await put(db, clock, [notice(10, "r", block.id), notice(11, "r", block.id)])
    await run(outbox)
    async with db.read() as conn:
        rows = await outbox_repo.rows_by_keys(conn, ["r:10", "r:11"])
    assert rows["r:10"].state is State.FAILED and rows["r:10"].attempts == 3
    assert "Bad Gateway" in (rows["r:10"].last_error or "")
    assert rows["r:11"].state is State.SENT
    chair = texts_to(fake_bot, 1)
    assert len(chair) == 1 and "1/2" in chair[0]


async def test_403_marks_unreachable_and_tells_the_chair_once(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    block = await setup_block(db, clock, {"VPTU": [1], "UBKT": [10], "BDV": [20]})
    fake_bot.faults[10] = [Forbidden("Forbidden: bot was blocked by the user")] * 2
    await put(db, clock, [notice(10, "a", block.id), notice(20, "a", block.id)])
    await run(outbox)
    await put(db, clock, [notice(10, "c", block.id)])
    await run(outbox)
    async with db.read() as conn:
        rows = await outbox_repo.rows_by_keys(conn, ["a:10", "a:20", "c:10"])
        member = await members_repo.get_membership(conn, block.id, 10)
    assert rows["a:10"].state is State.UNREACHABLE and rows["a:10"].attempts == 1
    assert rows["c:10"].state is State.UNREACHABLE
    assert rows["a:20"].state is State.SENT
    assert member is not None and member.unreachable_since is not None
    chair = texts_to(fake_bot, 1)
    assert len(chair) == 1 and "Người 10" in chair[0] and "Ủy ban Kiểm tra" in chair[0]


async def test_400_fails_only_that_message(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.faults[20] = [BadRequest("Can't parse entities: unsupported start tag")]
    await put(db, clock, [notice(uid) for uid in (10, 20, 30)])
    await run(outbox)
    async with db.read() as conn:
        rows = await outbox_repo.rows_by_keys(conn, ["b:10", "b:20", "b:30"])
    assert [rows[k].state for k in ("b:10", "b:20", "b:30")] == [
        State.SENT, State.FAILED, State.SENT,
    ]
    assert "parse entities" in (rows["b:20"].last_error or "")


async def test_group_migration_is_followed_and_the_message_resent(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    block = await setup_block(db, clock, {})
    fake_bot.faults[-100] = [ChatMigrated(-1009)]
    await put(db, clock, [notice(-100, "g", block.id), Outgoing(
        chat_id=-100, text="sau", batch="g", dedupe_key="g:2", block_id=block.id)])
    await run(outbox)
    assert [s["chat_id"] for s in fake_bot.sent] == [-1009, -1009]
    async with db.read() as conn:
        moved = await blocks_repo.get_block(conn, block.id)
        ids = await outbox_repo.sent_message_ids(conn, "g")
    assert moved is not None and moved.group_chat_id == -1009
    assert ids["g:-100"][0] == -1009


async def test_a_crash_mid_message_resumes_at_the_next_part(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    long_text = "\n\n".join(f"Mục {i}. " + "nội dung " * 400 for i in range(3))
    await put(db, clock, [Outgoing(chat_id=10, text=long_text, dedupe_key="k"),
                          notice(20)])
    async with db.transaction() as conn:  # as a killed process leaves it: part 1 sent
        [claimed] = await outbox_repo.claim(
            conn, await outbox_repo.open_heads(conn, 1, set()), clock.now())
        assert len(claimed.parts) == 3
        await outbox_repo.part_sent(conn, claimed.id, 1, 77)
    await run(outbox)
    texts = texts_to(fake_bot, 10)
    assert len(texts) == 2 and texts[0].startswith("Mục 1.") and texts[1].startswith("Mục 2.")
    assert texts_to(fake_bot, 20) == ["tin 20"]


async def test_subscribers_see_every_delivery_and_the_end_of_the_batch(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    seen: list[Delivery] = []

    async def hook(app: object, delivery: Delivery) -> None:
        seen.append(delivery)

    outbox.subscribe("announce:", hook)
    fake_bot.faults[20] = [BadRequest("chat not found")]
    await put(db, clock, [notice(uid, "announce:1") for uid in (10, 20, 30)] + [notice(40)])
    await run(outbox)
    # Sent side by side: they finish in any order, each counted once.
    assert sorted(d.dedupe_key for d in seen) == ["announce:1:10", "announce:1:20",
                                                   "announce:1:30"]
    assert sorted(d.progress.done for d in seen) == [1, 2, 3]
    last = max(seen, key=lambda d: d.progress.done)
    assert last.progress.finished and last.progress.failed == 1
    assert sum(d.progress.finished for d in seen) == 1


async def test_a_group_waiting_out_its_limit_does_not_hold_up_private_chats(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    fake_bot.faults[-100] = [RetryAfter(timedelta(seconds=0.3))]
    await put(db, clock, [notice(-100)] + [notice(uid) for uid in range(1, 6)])
    await run(outbox)
    assert [s["chat_id"] for s in fake_bot.sent][-1] == -100


async def test_a_local_file_is_uploaded_once_then_sent_by_file_id(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot, tmp_path: Path
) -> None:
    path = tmp_path / "cong-van.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    await put(db, clock, [
        Outgoing(chat_id=uid, document=str(path), caption="Công văn", dedupe_key=f"d:{uid}")
        for uid in (10, 20)
    ] + [Outgoing(chat_id=30, document=str(tmp_path / "missing.pdf"), dedupe_key="d:30")])
    await run(outbox)
    first, second = fake_bot.sent[0]["document"], fake_bot.sent[1]["document"]
    assert isinstance(first, InputFile) and first.filename == "cong-van.pdf"
    assert second == "DOC-ID"
    async with db.read() as conn:
        missing = (await outbox_repo.rows_by_keys(conn, ["d:30"]))["d:30"]
    assert missing.state is State.FAILED and "FileNotFoundError" in (missing.last_error or "")


async def test_work_enqueued_while_a_lane_runs_is_picked_up(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    async def late(record: dict[str, object]) -> None:
        await put(db, clock, [notice(99, "late")])
        outbox.wake()

    pending: list[asyncio.Task[None]] = []
    fake_bot.on_call = lambda record: (
        pending.append(asyncio.ensure_future(late(record))) if not pending else None
    )
    await put(db, clock, [notice(1)])
    outbox.wake()
    await asyncio.wait_for(outbox.idle(), 10)
    await asyncio.gather(*pending)
    await run(outbox)
    assert texts_to(fake_bot, 99) == ["tin 99"]


async def test_unfinished_rows_of_a_killed_process_are_sent_on_restart(
    db: Database, clock: ManualClock, outbox: Outbox, fake_bot: FakeBot
) -> None:
    await put(db, clock, [notice(uid) for uid in (1, 2, 3)])
    async with db.transaction() as conn:
        await conn.execute(update(outbox_table).where(outbox_table.c.dedupe_key == "b:1")
                           .values(state="sent", message_id=5))
        await conn.execute(update(outbox_table).where(outbox_table.c.dedupe_key == "b:2")
                           .values(state="sending", attempts=1))
    await run(outbox)
    assert [s["chat_id"] for s in fake_bot.sent] == [2, 3]
