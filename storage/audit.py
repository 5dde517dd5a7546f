"""The audit log: every change of state, with who did it and what changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
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
