"""Who is calling, in one query per update: the user's preferences and memberships with
their units and blocks (bot.services.access.resolve_caller).

Every update starts here, so the statements are built once (SQLAlchemy then only binds
the values) and the four lookups it replaces (preferences, memberships, block, unit) are
one join. The functions take a sync Connection: they run as one unit of work through
`Database.read_in_one` (or `AsyncConnection.run_sync` inside an open connection).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import LABEL_STYLE_TABLENAME_PLUS_COL, and_, bindparam, select
from sqlalchemy.engine import Connection

from storage.prefs import prefs
from storage.records import Block, Member, Unit
from storage.tables import blocks, members, units, user_prefs


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


class _Decoder:
    """Builds one table's record from a row of `query` by position (every update runs one
    of these queries, so the positions are found once, not by label for every row)."""

    def __init__(self, query: Any, table: str, cls: type[Any]) -> None:
        keys = list(query.selected_columns.keys())
        self._cls = cls
        self._fields = itemgetter(*(keys.index(f"{table}_{name}")
                                    for name in cls.__dataclass_fields__))
        self.key = keys.index(f"{table}_id")  # None in an outer join's missing side

    def __call__(self, row: Any) -> Any:
        return self._cls(*self._fields(row))


def _decoders(query: Any) -> tuple[_Decoder, _Decoder, _Decoder, Callable[[Any], Any]]:
    return (_Decoder(query, "members", Member), _Decoder(query, "units", Unit),
            _Decoder(query, "blocks", Block),
            itemgetter(*(list(query.selected_columns.keys()).index(k)
                         for k in ("pref_language", "pref_block"))))


_P_MEMBER, _P_UNIT, _P_BLOCK, _P_PREFS = _decoders(_PRIVATE)
_G_MEMBER, _G_UNIT, _G_BLOCK, _G_PREFS = _decoders(_GROUP)


def private_rows(conn: Connection, tg_user_id: int) -> CallerRows:
    """The user's preferences and active seats (memberships in active units), newest
    first."""
    rows = conn.execute(_PRIVATE, {"user": tg_user_id}).all()
    if not rows:
        return CallerRows(*prefs(conn, tg_user_id))
    language, current_block_id = _P_PREFS(rows[0])
    return CallerRows(language, current_block_id,
                      seats=tuple(Seat(_P_MEMBER(r), _P_UNIT(r), _P_BLOCK(r)) for r in rows))


def group_rows(conn: Connection, tg_user_id: int, chat_id: int) -> CallerRows:
    """The chat's block and the user's active membership in it (a removed representative
    counts as a guest), or only the preferences for an unbound group."""
    row = conn.execute(_GROUP, {"user": tg_user_id, "chat": chat_id}).first()
    if row is None:
        return CallerRows(*prefs(conn, tg_user_id))
    seated = row[_G_MEMBER.key] is not None and row[_G_UNIT.key] is not None
    seat = Seat(_G_MEMBER(row), _G_UNIT(row), _G_BLOCK(row)) if seated else None
    language, current_block_id = _G_PREFS(row)
    return CallerRows(language, current_block_id, group_block=_G_BLOCK(row), group_seat=seat)

