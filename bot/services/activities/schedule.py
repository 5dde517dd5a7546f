"""An activity's planned moments, and sending what is due (one of the wake-up's works).

- announce: the group card and the invitations, as soon as the activity exists (one from
  the block file once the block's group is bound);
- answer 2d / 2h before answer_by: a reminder to the units that have not answered;
- closed at answer_by: the chair gets the list of units that did not answer;
- coming 1d / 2h before the start: a reminder to the units that said they would come
  (the last one with the check-in button).

Times follow the block's [reminders] rules (a day offset fires at `at`, quiet hours and
weekends respected) through bot.services.reminders.timing. A due row is claimed in the
transaction that queues its messages, so a restart or two wake-ups never send it twice;
missed rows of one kind are merged into the latest.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.activities import reminders
from bot.services.activities.delivery import announce
from bot.services.activities.loaded import Loaded, load
from bot.services.clock import Clock
from bot.services.reminders.timing import ReminderSettings, fire_time, parse_offset
from bot.texts import Catalog
from storage import activities as repo
from storage import blocks as blocks_repo
from storage.activities import plan as plan_repo
from storage.activities.records import OPEN, Activity, ActivityReminder
from storage.db import Database
from storage.records import Block

log = logging.getLogger(__name__)

ANSWER_OFFSETS = ("2d", "2h")
COMING_OFFSETS = ("1d", "2h")


def wanted_rows(activity: Activity, block: Block) -> list[plan_repo.Wanted]:
    cfg = ReminderSettings.from_block(block.settings.get("reminders") or {})
    rows: list[plan_repo.Wanted] = [("announce", "", activity.created_at)]
    for kind, deadline, offsets in (("answer", activity.answer_by, ANSWER_OFFSETS),
                                    ("coming", activity.starts_at, COMING_OFFSETS)):
        seen = set()
        for label in offsets:
            when = fire_time(deadline, parse_offset(label), cfg, block.tz)
            if when < deadline and when not in seen:
                seen.add(when)
                rows.append((kind, label, when))
    rows.append(("closed", "", activity.answer_by))
    return rows


async def plan_activity(conn: AsyncConnection, activity: Activity, block: Block,
                        now: datetime) -> None:
    if activity.state != OPEN:
        await plan_repo.cancel_plan(conn, activity.id)
        return
    await plan_repo.sync_plan(conn, activity.id, wanted_rows(activity, block), now)


async def send_due(db: Database, clock: Clock, texts: Catalog, *, calendar_dir: Path
                   ) -> list[int]:
    """Send every due row; the activities whose card should be refreshed."""
    now = clock.now()
    async with db.read() as conn:
        due = await plan_repo.due(conn, now)
    latest: dict[tuple[int, str], ActivityReminder] = {}
    for row in due:
        latest[(row.activity_id, row.kind)] = row
    touched: list[int] = []
    for row in due:
        try:
            if await _fire(db, texts, row, latest[(row.activity_id, row.kind)] is row, now,
                           calendar_dir):
                touched.append(row.activity_id)
        except Exception:
            log.exception("activity reminder %s (%s %s) failed; it stays planned",
                          row.id, row.kind, row.offset)
    return sorted(set(touched))


async def _fire(db: Database, texts: Catalog, row: ActivityReminder, last: bool,
                now: datetime, calendar_dir: Path) -> bool:
    async with db.transaction() as conn:
        if not last:
            await plan_repo.claim(conn, row.id, "merged", now)
            return False
        loaded = await load(conn, row.activity_id)
        if loaded is None or not loaded.activity.open or _stale(row, loaded, now):
            await plan_repo.claim(conn, row.id, "dropped", now)
            return False
        if row.kind == "announce" and loaded.block.group_chat_id is None:
            # A file's activity waits for the block's group (bound with /bind): the card is
            # the block's one view of who comes. The row stays planned; the wake-up's
            # safety net looks again every minute.
            return False
        count = await _render(conn, texts, row, loaded, now, calendar_dir)
        if not await plan_repo.claim(conn, row.id, "sent", now, recipients=count):
            raise _AlreadyClaimed  # rolls back what was queued: another wake-up sent it
    return True


class _AlreadyClaimed(Exception):
    pass


def _stale(row: ActivityReminder, loaded: Loaded, now: datetime) -> bool:
    """A reminder whose moment passed while the bot was down says nothing true any more."""
    activity = loaded.activity
    if row.kind == "answer":
        return now >= activity.answer_by
    if row.kind == "coming":
        return now >= activity.starts_at
    return False


async def _render(conn: AsyncConnection, texts: Catalog, row: ActivityReminder,
                  loaded: Loaded, now: datetime, calendar_dir: Path) -> int:
    if row.kind == "announce":
        if not await repo.claim_announcement(conn, loaded.activity.id, now):
            return 0
        return await announce(conn, texts, loaded, now, calendar_dir)
    if row.kind == "answer":
        return await reminders.to_pending(conn, texts, loaded, row, now)
    if row.kind == "coming":
        return await reminders.to_coming(conn, texts, loaded, row, now)
    return await reminders.closed_to_chairs(conn, texts, loaded, now)


async def next_due(db: Database, after: datetime | None = None) -> datetime | None:
    async with db.read() as conn:
        return await plan_repo.next_due_at(conn, after)


async def replan_all(db: Database, clock: Clock) -> None:
    """Plan every activity again (start-up): what was missed is due at once."""
    now = clock.now()
    async with db.transaction() as conn:
        for block in await blocks_repo.list_blocks(conn):
            for activity in await repo.block_activities(conn, block.id):
                await plan_activity(conn, activity, block, now)
