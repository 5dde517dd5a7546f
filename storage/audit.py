"""The audit log: every change of state, with who did it and what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.records import AuditEntry
from storage.tables import audit_log


async def record(
    conn: AsyncConnection,
    *,
    at: datetime,
    action: str,
    block_id: int | None = None,
    actor_tg_id: int | None = None,
    actor_unit_id: int | None = None,
    subject: str | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    await conn.execute(
        insert(audit_log).values(
            at=at,
            block_id=block_id,
            actor_tg_id=actor_tg_id,
            actor_unit_id=actor_unit_id,
            action=action,
            subject=subject,
            before=before,
            after=after,
        )
    )


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
