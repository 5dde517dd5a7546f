"""Representatives: Telegram users linked to one unit of a block."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.records import Member
from storage.tables import members, units


def _member(row: Any) -> Member:
    return Member(**{k: row[k] for k in Member.__dataclass_fields__})


async def memberships_of(conn: AsyncConnection, tg_user_id: int) -> list[Member]:
    """Active memberships of a user in active units, newest first."""
    query = (
        select(members)
        .join(units, units.c.id == members.c.unit_id)
        .where(
            members.c.tg_user_id == tg_user_id,
            members.c.active.is_(True),
            units.c.active.is_(True),
        )
        .order_by(members.c.joined_at.desc(), members.c.id.desc())
    )
    return [_member(r) for r in (await conn.execute(query)).mappings()]


# Built once (a "received" press and a notice's counter read them).
_MEMBERSHIP = select(members).where(
    members.c.block_id == bindparam("block"), members.c.tg_user_id == bindparam("user")
)
_BLOCK_MEMBERS = (
    select(members)
    .join(units, units.c.id == members.c.unit_id)
    .where(members.c.block_id == bindparam("block"), members.c.active.is_(True),
           units.c.active.is_(True))
    .order_by(units.c.position, members.c.id)
)


async def get_membership(conn: AsyncConnection, block_id: int, tg_user_id: int) -> Member | None:
    row = (await conn.execute(_MEMBERSHIP, {"block": block_id, "user": tg_user_id})
           ).mappings().first()
    return _member(row) if row else None


async def add_member(
    conn: AsyncConnection,
    *,
    block_id: int,
    unit_id: int,
    tg_user_id: int,
    full_name: str,
    username: str | None,
    language_code: str | None,
    now: datetime,
) -> None:
    existing = await get_membership(conn, block_id, tg_user_id)
    values = {
        "unit_id": unit_id,
        "full_name": full_name,
        "username": username,
        "language_code": language_code,
        "joined_at": now,
        "active": True,
        "unreachable_since": None,
    }
    if existing is None:
        await conn.execute(
            insert(members).values(block_id=block_id, tg_user_id=tg_user_id, **values)
        )
    else:  # a representative who was removed and is invited again
        await conn.execute(update(members).where(members.c.id == existing.id).values(**values))


async def unit_members(conn: AsyncConnection, unit_id: int) -> list[Member]:
    query = (
        select(members)
        .where(members.c.unit_id == unit_id, members.c.active.is_(True))
        .order_by(members.c.id)
    )
    return [_member(r) for r in (await conn.execute(query)).mappings()]


async def block_members(conn: AsyncConnection, block_id: int) -> list[Member]:
    return [_member(r) for r in (await conn.execute(_BLOCK_MEMBERS, {"block": block_id})
                                  ).mappings()]


async def mark_unreachable(conn: AsyncConnection, tg_user_id: int, when: datetime | None) -> bool:
    """Set or clear the unreachable mark; True if it changed (so the chair is told once)."""
    cond = (
        members.c.unreachable_since.is_(None) if when else members.c.unreachable_since.isnot(None)
    )
    result = await conn.execute(
        update(members)
        .where(members.c.tg_user_id == tg_user_id, cond)
        .values(unreachable_since=when)
    )
    return bool(result.rowcount)


async def deactivate(conn: AsyncConnection, block_id: int, tg_user_id: int) -> Member | None:
    """Remove a representative from their unit (the row stays for the record)."""
    member = await get_membership(conn, block_id, tg_user_id)
    if member is None:
        return None
    await conn.execute(
        update(members).where(members.c.id == member.id).values(active=False)
    )
    return member


async def all_of_block(conn: AsyncConnection, block_id: int) -> list[tuple[Member, bool]]:
    """Every representative of the block ever registered, with whether still active."""
    query = (
        select(members)
        .join(units, units.c.id == members.c.unit_id)
        .where(members.c.block_id == block_id)
        .order_by(units.c.position, members.c.id)
    )
    return [(_member(r), bool(r["active"])) for r in (await conn.execute(query)).mappings()]
