"""The planned reminders of activities: plan, claim, read (the wake-up's rows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.activities.records import ActivityReminder
from storage.activities.tables import activity_reminders

PLANNED = "planned"

Wanted = tuple[str, str, datetime]  # (kind, offset, due_at)


def _row(row: Any) -> ActivityReminder:
    return ActivityReminder(**{k: row[k] for k in ActivityReminder.__dataclass_fields__})


async def sync_plan(conn: AsyncConnection, activity_id: int, wanted: Sequence[Wanted],
                    now: datetime) -> None:
    """Make the activity's planned rows match `wanted`. Rows already sent are history;
    a wanted row already past is not added, unless it is an event ("announce", "closed")
    that must happen however late."""
    query = select(activity_reminders).where(activity_reminders.c.activity_id == activity_id)
    existing = {(r["kind"], r["offset"]): r for r in (await conn.execute(query)).mappings()}
    keys = set()
    for kind, offset, due_at in wanted:
        keys.add((kind, offset))
        old = existing.get((kind, offset))
        if old is None:
            if due_at > now or offset == "":
                await conn.execute(insert(activity_reminders).values(
                    activity_id=activity_id, kind=kind, offset=offset, due_at=due_at,
                    state=PLANNED))
        elif old["state"] == PLANNED and old["due_at"] != due_at:
            await conn.execute(update(activity_reminders)
                               .where(activity_reminders.c.id == old["id"])
                               .values(due_at=due_at))
    for key, old in existing.items():
        if key not in keys and old["state"] == PLANNED:
            await conn.execute(delete(activity_reminders)
                               .where(activity_reminders.c.id == old["id"]))


async def cancel_plan(conn: AsyncConnection, activity_id: int) -> None:
    await conn.execute(delete(activity_reminders).where(
        activity_reminders.c.activity_id == activity_id,
        activity_reminders.c.state == PLANNED))


async def due(conn: AsyncConnection, now: datetime) -> list[ActivityReminder]:
    query = (select(activity_reminders)
             .where(activity_reminders.c.state == PLANNED, activity_reminders.c.due_at <= now)
             .order_by(activity_reminders.c.due_at, activity_reminders.c.id))
    return [_row(r) for r in (await conn.execute(query)).mappings()]


async def next_due_at(conn: AsyncConnection, after: datetime | None = None) -> datetime | None:
    query = (select(activity_reminders.c.due_at)
             .where(activity_reminders.c.state == PLANNED)
             .order_by(activity_reminders.c.due_at).limit(1))
    if after is not None:
        query = query.where(activity_reminders.c.due_at > after)
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def claim(conn: AsyncConnection, row_id: int, state: str, now: datetime,
                recipients: int | None = None) -> bool:
    """Move a planned row to its final state; False if another wake-up got there first."""
    result = await conn.execute(
        update(activity_reminders)
        .where(activity_reminders.c.id == row_id, activity_reminders.c.state == PLANNED)
        .values(state=state, done_at=now, recipients=recipients))
    return bool(result.rowcount)


async def rows_of(conn: AsyncConnection, activity_id: int) -> list[ActivityReminder]:
    query = (select(activity_reminders).where(activity_reminders.c.activity_id == activity_id)
             .order_by(activity_reminders.c.due_at, activity_reminders.c.id))
    return [_row(r) for r in (await conn.execute(query)).mappings()]
