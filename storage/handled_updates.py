"""The update_ids the webhook has taken in (migration 0008_handled_updates).

Telegram delivers an update to a webhook again when it did not get a 2xx in time, and a
replayed request carries an update_id that was already handled. The first delivery of an id
claims its row (an insert that does nothing when the row is there), so a second delivery,
to this instance or to another one on the same database, is seen and skipped. Rows older
than a few days are forgotten (bot.services.handled_updates): Telegram keeps an update for
24 hours at most, and after a week without updates it may start update_ids afresh.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import metadata
from storage.types import UTCDateTime

__all__ = ["claim_update", "forget_updates_before", "handled_updates"]

handled_updates = Table(
    "handled_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_handled_updates_received_at", "received_at"),
)


async def claim_update(conn: AsyncConnection, update_id: int, at: datetime) -> bool:
    """Record `update_id` as taken in at `at`; False when it was recorded before."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(handled_updates).on_conflict_do_nothing(index_elements=["update_id"])
    result = await conn.execute(stmt, {"update_id": update_id, "received_at": at})
    return bool(result.rowcount)


async def forget_updates_before(conn: AsyncConnection, cutoff: datetime) -> int:
    """Delete the records of updates taken in before `cutoff`; how many there were."""
    result = await conn.execute(
        delete(handled_updates).where(handled_updates.c.received_at < cutoff)
    )
    return int(result.rowcount or 0)
