"""A «Đã nhận» press counts only on a message the bot sent for that notice to the presser
(their copy, a reminder of it, the group copy): issue 26.7, without Telegram."""

from __future__ import annotations

from bot.runtime import Runtime
from bot.services.announce.notices import (
    AckOutcome,
    Draft,
    acknowledge,
    message_keys,
)
from bot.services.announce.nudges import nudge
from bot.services.clock import ManualClock
from storage import announcements as ann_repo
from storage import outbox as outbox_repo
from storage.db import Database
from storage.outbox import State
from tests.announce.test_service import TEXT, TEXTS, announce, chair


async def deliver_all(db: Database, clock: ManualClock, batch: str, first_id: int) -> dict[
        int, int]:
    """Mark every row of `batch` sent, with message ids from `first_id` on: chat -> id."""
    shown: dict[int, int] = {}
    async with db.transaction() as conn:
        for number, row in enumerate(await outbox_repo.batch_rows(conn, batch)):
            await outbox_repo.finish(conn, row.id, State.SENT, clock.now(),
                                     message_id=first_id + number)
            shown[row.chat_id] = first_id + number
    return shown


async def test_only_a_message_sent_for_the_notice_counts(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock, Draft(TEXT))
    shown = await deliver_all(db, clock, "announce:1", 100)
    own = (20, shown[20])
    for forged in ((20, 999), (20, shown[21]), (21, shown[20]), (-100, 999), (-555, shown[-100])):
        result = await acknowledge(db, clock, 1, 20, "Người 20", pressed=forged)
        assert result.outcome is AckOutcome.INVALID, forged
    async with db.read() as conn:
        assert await ann_repo.acks_of(conn, 1) == {}
    assert (await acknowledge(db, clock, 1, 20, "Người 20", pressed=own)).outcome is (
        AckOutcome.RECORDED)
    group = (-100, shown[-100])
    assert (await acknowledge(db, clock, 1, 30, "Người 30", pressed=group)).outcome is (
        AckOutcome.RECORDED)


async def test_rights_are_checked_before_the_message(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock, Draft(TEXT))
    await deliver_all(db, clock, "announce:1", 100)
    stranger = await acknowledge(db, clock, 1, 999, "Người lạ", pressed=(999, 1))
    assert stranger.outcome is AckOutcome.REFUSED
    unknown = await acknowledge(db, clock, 42, 20, "Người 20", pressed=(20, 1))
    assert unknown.outcome is AckOutcome.UNKNOWN


async def test_a_reminder_of_the_notice_counts(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock, Draft(TEXT))
    await deliver_all(db, clock, "announce:1", 100)
    assert (await nudge(db, clock, TEXTS, await chair(runtime), 1)).people > 0
    reminded = await deliver_all(db, clock, "announce:1:nudge1", 200)
    result = await acknowledge(db, clock, 1, 30, "Người 30", pressed=(30, reminded[30]))
    assert result.outcome is AckOutcome.RECORDED


async def test_the_keys_name_every_message_with_the_button(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock, Draft(TEXT))
    await nudge(db, clock, TEXTS, await chair(runtime), 1)
    async with db.read() as conn:
        announcement = await ann_repo.get_announcement(conn, 1)
        assert announcement is not None
        keys = message_keys(announcement, 30)
        found = await outbox_repo.rows_by_keys(conn, keys)
    # the copy, the group copy and the reminder exist under those keys (no deadline yet)
    assert set(found) == {"announce:1:u30", "announce:1:group", "announce:1:nudge1:30"}
