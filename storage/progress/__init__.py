"""The group's progress messages and the numbers of the last ranking it was shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.progress.records import ProgressPost
from storage.progress.tables import progress_posts as posts
from storage.progress.tables import ranking_shown


def _post(row: Any) -> ProgressPost:
    return ProgressPost(**{k: row[k] for k in ProgressPost.__dataclass_fields__})


async def get_post(conn: AsyncConnection, post_id: int) -> ProgressPost | None:
    row = (await conn.execute(select(posts).where(posts.c.id == post_id))).mappings().first()
    return _post(row) if row is not None else None


async def post_for(conn: AsyncConnection, block_id: int, subject: str, chat_id: int
                   ) -> ProgressPost | None:
    query = select(posts).where(posts.c.block_id == block_id, posts.c.subject == subject,
                                posts.c.chat_id == chat_id)
    row = (await conn.execute(query)).mappings().first()
    return _post(row) if row is not None else None


async def open_posts(conn: AsyncConnection, block_id: int) -> list[ProgressPost]:
    """The block's progress messages still edited (not taken over), oldest first."""
    query = (select(posts).where(posts.c.block_id == block_id, posts.c.closed_at.is_(None))
             .order_by(posts.c.id))
    return [_post(r) for r in (await conn.execute(query)).mappings()]


async def add_post(conn: AsyncConnection, *, block_id: int, subject: str, chat_id: int,
                   text: str, now: datetime) -> int:
    result = await conn.execute(insert(posts).values(
        block_id=block_id, subject=subject, chat_id=chat_id, text=text, version=1, shown=1,
        pinned=False, created_at=now))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def set_text(conn: AsyncConnection, post_id: int, text: str) -> int:
    """A new text for the message; returns its version."""
    await conn.execute(update(posts).where(posts.c.id == post_id)
                       .values(text=text, version=posts.c.version + 1))
    post = await get_post(conn, post_id)
    assert post is not None
    return post.version


async def mark_shown(conn: AsyncConnection, post_id: int, version: int) -> None:
    await conn.execute(update(posts).where(posts.c.id == post_id, posts.c.shown < version)
                       .values(shown=version))


async def set_message(conn: AsyncConnection, post_id: int, message_id: int) -> None:
    await conn.execute(update(posts).where(posts.c.id == post_id)
                       .values(message_id=message_id))


# `shown` of a message deleted in the group: the next change posts it again.
GONE = 0


async def forget_message(conn: AsyncConnection, post_id: int) -> None:
    """The message was deleted in the group: no id to edit, nothing pinned."""
    await conn.execute(update(posts).where(posts.c.id == post_id)
                       .values(message_id=None, pinned=False, shown=GONE))


async def set_pinned(conn: AsyncConnection, post_id: int, pinned: bool) -> None:
    await conn.execute(update(posts).where(posts.c.id == post_id).values(pinned=pinned))


async def close_post(conn: AsyncConnection, post_id: int, now: datetime) -> None:
    await conn.execute(update(posts).where(posts.c.id == post_id, posts.c.closed_at.is_(None))
                       .values(closed_at=now))


async def unpinned_posts(conn: AsyncConnection) -> list[ProgressPost]:
    """Delivered messages to pin (the newest of a block) or unpin (taken over)."""
    query = select(posts).where(posts.c.message_id.is_not(None)).where(
        (posts.c.closed_at.is_(None) & posts.c.pinned.is_(False))
        | (posts.c.closed_at.is_not(None) & posts.c.pinned.is_(True)))
    return [_post(r) for r in (await conn.execute(query.order_by(posts.c.id))).mappings()]


async def shown_numbers(conn: AsyncConnection, block_id: int, subject: str
                        ) -> tuple[str, bool] | None:
    query = select(ranking_shown.c.numbers, ranking_shown.c.final).where(
        ranking_shown.c.block_id == block_id, ranking_shown.c.subject == subject)
    row = (await conn.execute(query)).first()
    return (str(row[0]), bool(row[1])) if row is not None else None


async def remember_numbers(conn: AsyncConnection, *, block_id: int, subject: str,
                           numbers: str, final: bool, now: datetime) -> None:
    values = {"numbers": numbers, "final": final, "posted_at": now}
    result = await conn.execute(update(ranking_shown).where(
        ranking_shown.c.block_id == block_id, ranking_shown.c.subject == subject).values(**values))
    if not result.rowcount:
        await conn.execute(insert(ranking_shown).values(block_id=block_id, subject=subject,
                                                        **values))
