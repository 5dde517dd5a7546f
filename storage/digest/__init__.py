"""The chair's digest: items waiting, the planned digest of a block, and its claim."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.digest.records import Digest, DigestItem
from storage.digest.tables import chair_digests, digest_items

PLANNED = "planned"
SENT = "sent"


def _item(row: Any) -> DigestItem:
    return DigestItem(**{k: row[k] for k in DigestItem.__dataclass_fields__})


def _digest(row: Any) -> Digest:
    return Digest(**{k: row[k] for k in Digest.__dataclass_fields__})


async def add_item(
    conn: AsyncConnection, *, block_id: int, kind: str, unit_id: int, tg_user_id: int | None,
    subject_id: int | None, details: dict[str, Any], now: datetime,
) -> int:
    result = await conn.execute(insert(digest_items).values(
        block_id=block_id, kind=kind, unit_id=unit_id, tg_user_id=tg_user_id,
        subject_id=subject_id, details=details, created_at=now))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def waiting_items(conn: AsyncConnection, block_id: int) -> list[DigestItem]:
    """Items no digest has carried yet, oldest first."""
    query = (select(digest_items)
             .where(digest_items.c.block_id == block_id, digest_items.c.digest_id.is_(None))
             .order_by(digest_items.c.id))
    return [_item(r) for r in (await conn.execute(query)).mappings()]


async def get_item(conn: AsyncConnection, item_id: int) -> DigestItem | None:
    row = (await conn.execute(select(digest_items).where(digest_items.c.id == item_id))
           ).mappings().first()
    return _item(row) if row is not None else None


async def planned_digest(conn: AsyncConnection, block_id: int) -> Digest | None:
    query = (select(chair_digests)
             .where(chair_digests.c.block_id == block_id, chair_digests.c.state == PLANNED)
             .order_by(chair_digests.c.due_at).limit(1))
    row = (await conn.execute(query)).mappings().first()
    return _digest(row) if row is not None else None


async def last_sent_at(conn: AsyncConnection, block_id: int) -> datetime | None:
    """When a digest last reached someone (one that told nobody does not count)."""
    query = select(func.max(chair_digests.c.sent_at)).where(
        chair_digests.c.block_id == block_id, chair_digests.c.state == SENT,
        chair_digests.c["items"] > 0)
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def plan_digest(conn: AsyncConnection, block_id: int, due_at: datetime, now: datetime
                      ) -> int:
    result = await conn.execute(insert(chair_digests).values(
        block_id=block_id, due_at=due_at, state=PLANNED, created_at=now))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def due_digests(conn: AsyncConnection, now: datetime) -> list[Digest]:
    query = (select(chair_digests)
             .where(chair_digests.c.state == PLANNED, chair_digests.c.due_at <= now)
             .order_by(chair_digests.c.due_at, chair_digests.c.id))
    return [_digest(r) for r in (await conn.execute(query)).mappings()]


async def next_digest_at(conn: AsyncConnection, after: datetime | None = None
                         ) -> datetime | None:
    query = (select(chair_digests.c.due_at).where(chair_digests.c.state == PLANNED)
             .order_by(chair_digests.c.due_at).limit(1))
    if after is not None:
        query = query.where(chair_digests.c.due_at > after)
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def mark_sent(conn: AsyncConnection, digest_id: int, item_ids: list[int], now: datetime,
                    *, told: bool = True) -> bool:
    """Claim a planned digest as sent with these items (`told`: it reached someone);
    False if it was sent already."""
    result = await conn.execute(
        update(chair_digests)
        .where(chair_digests.c.id == digest_id, chair_digests.c.state == PLANNED)
        .values(state=SENT, sent_at=now, items=len(item_ids) if told else 0))
    if not result.rowcount:
        return False
    if item_ids:
        await conn.execute(update(digest_items).where(digest_items.c.id.in_(item_ids))
                           .values(digest_id=digest_id))
    return True


async def digests_of(conn: AsyncConnection, block_id: int) -> list[Digest]:
    query = (select(chair_digests).where(chair_digests.c.block_id == block_id)
             .order_by(chair_digests.c.id))
    return [_digest(r) for r in (await conn.execute(query)).mappings()]
