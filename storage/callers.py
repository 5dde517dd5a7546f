"""Who is calling, in one query per update: the user's preferences and memberships with
their units and blocks (bot.services.access.resolve_caller).

Every update starts here, so the statements are built once (SQLAlchemy then only binds
the values; building and hashing a statement per call cost more than running it) and the
four lookups it replaces (preferences, memberships, block, unit) are one join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import LABEL_STYLE_TABLENAME_PLUS_COL, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.prefs import get_prefs
from storage.records import Block, Member, Unit
from storage.tables import blocks, members, units, user_prefs

T = TypeVar("T")


@dataclass(frozen=True)
class Seat:
    """One membership of the user, with its unit and block."""

    member: Member
    unit: Unit
    block: Block


@dataclass(frozen=True)
class CallerRows:
    language: str | None
    current_block_id: int | None
    seats: tuple[Seat, ...] = ()  # private: active memberships in active units, newest first
    group_block: Block | None = None  # group: the block bound to the chat
    group_seat: Seat | None = None  # group: the user's membership in that block, if any


_PREFS = (user_prefs.c.language.label("pref_language"),
          user_prefs.c.current_block_id.label("pref_block"))

_PRIVATE = (
    select(members, units, blocks, *_PREFS)
    .select_from(
        members.join(units, units.c.id == members.c.unit_id)
        .join(blocks, blocks.c.id == members.c.block_id)
        .outerjoin(user_prefs, user_prefs.c.tg_user_id == members.c.tg_user_id)
    )
    .where(members.c.tg_user_id == bindparam("user"), members.c.active.is_(True),
           units.c.active.is_(True))
    .order_by(members.c.joined_at.desc(), members.c.id.desc())
    .set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL)
)

_GROUP = (
    select(blocks, members, units, *_PREFS)
    .select_from(
        blocks.outerjoin(members, and_(members.c.block_id == blocks.c.id,
                                       members.c.tg_user_id == bindparam("user"),
                                       members.c.active.is_(True)))
        .outerjoin(units, units.c.id == members.c.unit_id)
        .outerjoin(user_prefs, user_prefs.c.tg_user_id == bindparam("user"))
    )
    .where(blocks.c.group_chat_id == bindparam("chat"))
    .set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL)
)


def _take(row: Any, table: str, cls: type[T]) -> T:
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return cls(**{name: row[f"{table}_{name}"] for name in fields})


def _seat(row: Any) -> Seat:
    return Seat(_take(row, "members", Member), _take(row, "units", Unit),
                _take(row, "blocks", Block))


async def private_rows(conn: AsyncConnection, tg_user_id: int) -> CallerRows:
    rows = (await conn.execute(_PRIVATE, {"user": tg_user_id})).mappings().all()
    if not rows:
        return CallerRows(*await get_prefs(conn, tg_user_id))
    first = rows[0]
    return CallerRows(first["pref_language"], first["pref_block"],
                      seats=tuple(_seat(r) for r in rows))


async def group_rows(conn: AsyncConnection, tg_user_id: int, chat_id: int) -> CallerRows:
    """The chat's block and the user's active membership in it (a removed representative
    counts as a guest), or only the preferences for an unbound group."""
    row = (await conn.execute(_GROUP, {"user": tg_user_id, "chat": chat_id})).mappings().first()
    if row is None:
        return CallerRows(*await get_prefs(conn, tg_user_id))
    block = _take(row, "blocks", Block)
    seat = _seat(row) if row["members_id"] is not None and row["units_id"] is not None else None
    return CallerRows(row["pref_language"], row["pref_block"], group_block=block,
                      group_seat=seat)
