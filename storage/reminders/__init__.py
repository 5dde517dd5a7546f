"""Reminder rows: plan, claim, and read; when the reminders' next work is due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.digest import next_digest_at
from storage.reminders.records import ReminderRow, Wanted
from storage.reminders.snoozes import next_snooze_at
from storage.reminders.tables import reminders

PLANNED = "planned"


def _row(row: Any) -> ReminderRow:
    return ReminderRow(**{k: row[k] for k in ReminderRow.__dataclass_fields__})


async def sync_plan(
    conn: AsyncConnection, block_id: int, wanted: list[Wanted], now: datetime
) -> tuple[int, int, int]:
    """Make the block's planned rows match `wanted`; returns (added, moved, cancelled).

    Rows already sent are history and never touched. A wanted row whose time is already
    past is not added (no stale flood on setup); an existing planned row keeps its place
    so a reminder missed while the bot was down can still be caught up.
    """
    query = select(reminders).where(reminders.c.block_id == block_id)
    existing = {
        (r["kind"], r["subject"], r["offset"]): r for r in (await conn.execute(query)).mappings()
    }
    added = moved = cancelled = 0
    keys = set()
    for item in wanted:
        key = (item.kind, item.subject, item.offset)
        keys.add(key)
        old = existing.get(key)
        if old is None:
            if item.due_at > now:
                await conn.execute(
                    insert(reminders).values(
                        block_id=block_id,
                        kind=item.kind,
                        subject=item.subject,
                        offset=item.offset,
                        deadline=item.deadline,
                        due_at=item.due_at,
                        state=PLANNED,
                    )
                )
                added += 1
        elif old["state"] == PLANNED and (
            old["due_at"] != item.due_at or old["deadline"] != item.deadline
        ):
            await conn.execute(
                update(reminders)
                .where(reminders.c.id == old["id"])
                .values(due_at=item.due_at, deadline=item.deadline)
            )
            moved += 1
    for key, old in existing.items():
        if key not in keys and old["state"] == PLANNED and not old["offset"].startswith("manual"):
            await conn.execute(delete(reminders).where(reminders.c.id == old["id"]))
            cancelled += 1
    return added, moved, cancelled


async def add_manual(
    conn: AsyncConnection,
    block_id: int,
    kind: str,
    subject: str,
    deadline: datetime,
    now: datetime,
) -> int:
    result = await conn.execute(
        insert(reminders).values(
            block_id=block_id,
            kind=kind,
            subject=subject,
            offset=f"manual-{now.strftime('%Y%m%d%H%M%S%f')}",
            deadline=deadline,
            due_at=now,
            state=PLANNED,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def due(conn: AsyncConnection, now: datetime) -> list[ReminderRow]:
    query = (
        select(reminders)
        .where(reminders.c.state == PLANNED, reminders.c.due_at <= now)
        .order_by(reminders.c.due_at, reminders.c.id)
    )
    return [_row(r) for r in (await conn.execute(query)).mappings()]


async def next_due_at(conn: AsyncConnection, after: datetime | None = None) -> datetime | None:
    """When the reminders' next work is due (of any block): the earliest planned row, a
    snoozed reminder or a chair's digest; with `after`, the earliest strictly after it."""
    times = [await _next_row_at(conn, after), await next_snooze_at(conn, after),
             await next_digest_at(conn, after)]
    return min((t for t in times if t is not None), default=None)


async def _next_row_at(conn: AsyncConnection, after: datetime | None) -> datetime | None:
    query = (
        select(reminders.c.due_at)
        .where(reminders.c.state == PLANNED)
        .order_by(reminders.c.due_at)
        .limit(1)
    )
    if after is not None:
        query = query.where(reminders.c.due_at > after)
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def claim(
    conn: AsyncConnection, row_id: int, state: str, now: datetime, recipients: int | None = None
) -> bool:
    """Move a planned row to its final state; False if another wake-up got there first."""
    result = await conn.execute(
        update(reminders)
        .where(reminders.c.id == row_id, reminders.c.state == PLANNED)
        .values(state=state, done_at=now, recipients=recipients)
    )
    return bool(result.rowcount)


async def upcoming(conn: AsyncConnection, block_id: int, now: datetime) -> list[ReminderRow]:
    query = (
        select(reminders)
        .where(
            reminders.c.block_id == block_id,
            reminders.c.state == PLANNED,
            reminders.c.due_at > now,
        )
        .order_by(reminders.c.due_at, reminders.c.id)
    )
    return [_row(r) for r in (await conn.execute(query)).mappings()]


async def all_rows(conn: AsyncConnection, block_id: int) -> list[ReminderRow]:
    query = select(reminders).where(reminders.c.block_id == block_id).order_by(reminders.c.id)
    return [_row(r) for r in (await conn.execute(query)).mappings()]


async def last_manual_at(conn: AsyncConnection, block_id: int, kind: str) -> datetime | None:
    """When the chair last asked for a round of this kind (for the /remind cooldown)."""
    query = (
        select(reminders.c.due_at)
        .where(
            reminders.c.block_id == block_id,
            reminders.c.kind == kind,
            reminders.c.offset.like("manual-%"),
        )
        .order_by(reminders.c.due_at.desc())
        .limit(1)
    )
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def sent_since(conn: AsyncConnection, block_id: int, kinds: tuple[str, ...], subject: str,
                     since: datetime) -> bool:
    """Whether a round of these kinds about `subject` went out after `since` (a snoozed
    reminder it made stale is not sent again)."""
    query = (
        select(reminders.c.id)
        .where(
            reminders.c.block_id == block_id,
            reminders.c.kind.in_(kinds),
            reminders.c.subject == subject,
            reminders.c.state == "sent",
            reminders.c.done_at > since,
        )
        .limit(1)
    )
    return (await conn.execute(query)).first() is not None
