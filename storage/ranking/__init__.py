"""The chart cache (fingerprint -> Telegram file id) and the automatic ranking posts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.ranking.records import RankingPost
from storage.ranking.tables import ranking_charts, ranking_posts

PENDING = "pending"
QUEUED = "queued"
SKIPPED = "skipped"


def _post(row: Any) -> RankingPost:
    return RankingPost(**{k: row[k] for k in RankingPost.__dataclass_fields__})


# Built once: every /ranking asks it.
_CACHED = select(ranking_charts.c.file_id).where(ranking_charts.c.fingerprint == bindparam("fp"))


async def cached_file_id(conn: AsyncConnection, fingerprint: str) -> str | None:
    value: str | None = (await conn.execute(_CACHED, {"fp": fingerprint})).scalar_one_or_none()
    return value


async def remember_file_id(
    conn: AsyncConnection, fingerprint: str, kind: str, file_id: str, now: datetime
) -> None:
    """Keep the newest file id of a picture (two renders of the same data may race)."""
    stmt = sqlite_insert(ranking_charts).values(
        fingerprint=fingerprint, kind=kind, file_id=file_id, created_at=now
    )
    await conn.execute(stmt.on_conflict_do_update(
        index_elements=["fingerprint"], set_={"file_id": file_id, "created_at": now}
    ))


async def forget_file_id(conn: AsyncConnection, fingerprint: str) -> None:
    await conn.execute(delete(ranking_charts).where(ranking_charts.c.fingerprint == fingerprint))


async def add_post(
    conn: AsyncConnection, *, block_id: int, subject: str, reason: str, source: str,
    now: datetime,
) -> bool:
    """Ask for a post; False when this cause already asked (a replayed claim)."""
    stmt = sqlite_insert(ranking_posts).values(
        block_id=block_id, subject=subject, reason=reason, source=source, state=PENDING,
        created_at=now,
    )
    result = await conn.execute(
        stmt.on_conflict_do_nothing(index_elements=["block_id", "source"])
    )
    return bool(result.rowcount)


async def pending_posts(conn: AsyncConnection) -> list[RankingPost]:
    query = select(ranking_posts).where(ranking_posts.c.state == PENDING).order_by(
        ranking_posts.c.id
    )
    return [_post(r) for r in (await conn.execute(query)).mappings()]


async def get_post(conn: AsyncConnection, post_id: int) -> RankingPost | None:
    query = select(ranking_posts).where(ranking_posts.c.id == post_id)
    row = (await conn.execute(query)).mappings().first()
    return _post(row) if row is not None else None


async def block_posts(conn: AsyncConnection, block_id: int) -> list[RankingPost]:
    query = select(ranking_posts).where(ranking_posts.c.block_id == block_id).order_by(
        ranking_posts.c.id
    )
    return [_post(r) for r in (await conn.execute(query)).mappings()]


async def close_post(
    conn: AsyncConnection, post_id: int, state: str, now: datetime,
    fingerprint: str | None = None,
) -> bool:
    """Move a pending post to queued/skipped; False if another wake-up got there first."""
    result = await conn.execute(
        update(ranking_posts)
        .where(ranking_posts.c.id == post_id, ranking_posts.c.state == PENDING)
        .values(state=state, done_at=now, fingerprint=fingerprint)
    )
    return bool(result.rowcount)
