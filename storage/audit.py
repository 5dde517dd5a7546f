"""The audit log: every change of state, with who did it and what changed; and refusals,
one row per person, action and minute with a count of the repeats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, false, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.records import AuditEntry
from storage.tables import audit_log


def entry(
    *,
    at: datetime,
    action: str,
    block_id: int | None = None,
    actor_tg_id: int | None = None,
    actor_unit_id: int | None = None,
    subject: str | None = None,
    before: Any = None,
    after: Any = None,
) -> dict[str, Any]:
    """One audit row, for record_all."""
    return {"at": at, "block_id": block_id, "actor_tg_id": actor_tg_id,
            "actor_unit_id": actor_unit_id, "action": action, "subject": subject,
            "before": before, "after": after}


_INSERT = insert(audit_log)


async def record(conn: AsyncConnection, **fields: Any) -> None:
    """Record one change (the keywords of `entry`)."""
    await conn.execute(_INSERT, entry(**fields))


async def record_all(conn: AsyncConnection, entries: Sequence[dict[str, Any]]) -> None:
    """Record several changes: one prebuilt INSERT executed for every entry (cheaper than
    building a multi-row statement per call)."""
    if entries:
        await conn.execute(_INSERT, list(entries))


# Where a refusal row keeps how many times it happened in its minute ({"count": n}); plain
# SQL text, never bound through the column's JSON type.
_COUNT = literal("$.count", String)
_EMPTY = literal("{}", String)


async def record_refusal(
    conn: AsyncConnection, *, at: datetime, action: str, actor_tg_id: int,
    block_id: int | None = None, actor_unit_id: int | None = None,
    subject: str | None = None, after: dict[str, Any] | None = None,
) -> None:
    """Record a refused press or command. The same person's same refusal in the same
    minute (UTC) adds one to that minute's row ({"count": n} in `after`; its subject and
    other details stay the first one's), so a flood of refused presses writes one row a
    minute, not one each.

    The UPDATE comes first: it takes the write lock, so two refusals at once never both
    insert the minute's row."""
    start = at.replace(second=0, microsecond=0)
    counted = func.coalesce(func.json_extract(audit_log.c.after, _COUNT), 1)
    this_minute = (
        select(audit_log.c.id)
        .where(audit_log.c.action == action, audit_log.c.actor_tg_id == actor_tg_id,
               audit_log.c.block_id.is_not_distinct_from(block_id),
               audit_log.c.at >= start, audit_log.c.at < start + timedelta(minutes=1))
        .order_by(audit_log.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    bumped = await conn.execute(
        update(audit_log)
        .where(audit_log.c.id == this_minute)
        .values(after=func.json_set(func.coalesce(audit_log.c.after, _EMPTY), _COUNT,
                                    counted + 1))
    )
    if bumped.rowcount == 0:
        await record(conn, at=at, action=action, block_id=block_id, actor_tg_id=actor_tg_id,
                     actor_unit_id=actor_unit_id, subject=subject,
                     after={**(after or {}), "count": 1})


def repeats(found: AuditEntry) -> int:
    """How many times an audit row's event happened (a refusal row counts its repeats)."""
    if isinstance(found.after, dict) and isinstance(found.after.get("count"), int):
        return int(found.after["count"])
    return 1


async def lock(conn: AsyncConnection) -> None:
    """Take the database's write lock now, with a statement that changes nothing.

    For a decision checked against what the audit log (or any other table) says: SQLite
    begins a transaction at its first write, so reads made before it may be overtaken by
    another writer; after this, what the transaction reads stays true until it commits."""
    await conn.execute(update(audit_log).where(false()).values(id=audit_log.c.id))


async def latest(
    conn: AsyncConnection, *, block_id: int, actions: Sequence[str]
) -> AuditEntry | None:
    """The block's newest row of one of `actions`."""
    query = (select(audit_log)
             .where(audit_log.c.block_id == block_id, audit_log.c.action.in_(actions))
             .order_by(audit_log.c.id.desc()).limit(1))
    row = (await conn.execute(query)).mappings().first()
    return AuditEntry(**row) if row else None


async def entries(
    conn: AsyncConnection, *, block_id: int | None = None, action: str | None = None
) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id)
    if block_id is not None:
        query = query.where(audit_log.c.block_id == block_id)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    rows = (await conn.execute(query)).mappings()
    return [AuditEntry(**row) for row in rows]
