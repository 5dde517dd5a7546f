"""«⏰ Nhắc lại sau»: a person's snoozed reminder, planned, moved by a second press, claimed
once when it comes due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.reminders.records import Snooze
from storage.reminders.tables import reminder_snoozes as snoozes

PLANNED = "planned"
SENT = "sent"
DROPPED = "dropped"


def _snooze(row: Any) -> Snooze:
    return Snooze(**{k: row[k] for k in Snooze.__dataclass_fields__})


async def plan_snooze(
    conn: AsyncConnection, *, block_id: int, unit_id: int, tg_user_id: int, kind: str,
    subject_id: int, deadline: datetime | None, due_at: datetime, now: datetime,
) -> int:
    """Plan (or move) the person's snooze of this reminder; returns its id."""
    key = (snoozes.c.block_id == block_id, snoozes.c.tg_user_id == tg_user_id,
           snoozes.c.kind == kind, snoozes.c.subject_id == subject_id)
    found = (await conn.execute(select(snoozes.c.id).where(*key))).scalar_one_or_none()
    values = {"unit_id": unit_id, "deadline": deadline, "due_at": due_at, "state": PLANNED,
              "created_at": now, "done_at": None}
    if found is not None:
        await conn.execute(update(snoozes).where(snoozes.c.id == found).values(**values))
        return int(found)
    result = await conn.execute(insert(snoozes).values(
        block_id=block_id, tg_user_id=tg_user_id, kind=kind, subject_id=subject_id, **values))
    key_row = result.inserted_primary_key
    assert key_row is not None
    return int(key_row[0])


async def due_snoozes(conn: AsyncConnection, now: datetime) -> list[Snooze]:
    query = (select(snoozes).where(snoozes.c.state == PLANNED, snoozes.c.due_at <= now)
             .order_by(snoozes.c.due_at, snoozes.c.id))
    return [_snooze(r) for r in (await conn.execute(query)).mappings()]


async def next_snooze_at(conn: AsyncConnection, after: datetime | None = None
                         ) -> datetime | None:
    query = (select(snoozes.c.due_at).where(snoozes.c.state == PLANNED)
             .order_by(snoozes.c.due_at).limit(1))
    if after is not None:
        query = query.where(snoozes.c.due_at > after)
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def close_snooze(conn: AsyncConnection, snooze: Snooze, state: str, now: datetime
                       ) -> bool:
    """Sent or dropped; False if another wake-up took it, or a new press moved it since it
    was read (it then comes at its new time)."""
    result = await conn.execute(
        update(snoozes)
        .where(snoozes.c.id == snooze.id, snoozes.c.state == PLANNED,
               snoozes.c.due_at == snooze.due_at)
        .values(state=state, done_at=now))
    return bool(result.rowcount)


async def snoozes_of(conn: AsyncConnection, block_id: int) -> list[Snooze]:
    query = select(snoozes).where(snoozes.c.block_id == block_id).order_by(snoozes.c.id)
    return [_snooze(r) for r in (await conn.execute(query)).mappings()]
