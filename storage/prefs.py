"""Per-user preferences: chat language and the block private commands act on."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import user_prefs

_PREFS = select(user_prefs.c.language, user_prefs.c.current_block_id).where(
    user_prefs.c.tg_user_id == bindparam("user"))


def prefs(conn: Connection, tg_user_id: int) -> tuple[str | None, int | None]:
    """The user's chosen language and current block, (None, None) if never chosen; on a
    sync connection, as part of storage.callers' reads."""
    row = conn.execute(_PREFS, {"user": tg_user_id}).first()
    return (row[0], row[1]) if row else (None, None)


async def language_of(conn: AsyncConnection, tg_user_id: int, default: str) -> str:
    """The language the user chose, else `default` (usually the block's)."""
    return (await conn.run_sync(prefs, tg_user_id))[0] or default


# Built once, the ids bound at execution: a unit's first "received" reads it.
_LANGUAGES = select(user_prefs.c.tg_user_id, user_prefs.c.language).where(
    user_prefs.c.tg_user_id.in_(bindparam("ids", expanding=True)),
    user_prefs.c.language.is_not(None),
)


async def languages_of(conn: AsyncConnection, tg_user_ids: Iterable[int]) -> dict[int, str]:
    """The chosen language of those users who chose one (one query for many chats)."""
    return {row[0]: row[1] for row in await conn.execute(_LANGUAGES, {"ids": list(tg_user_ids)})}


async def set_pref(conn: AsyncConnection, tg_user_id: int, **values: object) -> None:
    stmt = sqlite_insert(user_prefs).values(tg_user_id=tg_user_id, **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["tg_user_id"], set_=values))
