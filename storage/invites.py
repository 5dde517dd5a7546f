"""Invite tokens, kept only as hashes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.records import Invite
from storage.tables import invites


def _invite(row: Any) -> Invite:
    return Invite(**{k: row[k] for k in Invite.__dataclass_fields__})


async def add_invite(
    conn: AsyncConnection,
    *,
    block_id: int,
    unit_id: int,
    token_hash: str,
    max_uses: int,
    expires_at: datetime,
    now: datetime,
) -> int:
    result = await conn.execute(
        insert(invites).values(
            block_id=block_id,
            unit_id=unit_id,
            token_hash=token_hash,
            max_uses=max_uses,
            uses=0,
            expires_at=expires_at,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def find_by_hash(conn: AsyncConnection, token_hash: str) -> Invite | None:
    query = select(invites).where(invites.c.token_hash == token_hash)
    row = (await conn.execute(query)).mappings().first()
    return _invite(row) if row else None


async def use_invite(conn: AsyncConnection, invite_id: int) -> int | None:
    """Spend one use; which use this was (1 for the first), None if none was left.

    The WHERE makes two simultaneous redemptions unable to overspend; the number names the
    redemption (the registration's notice is keyed by it).
    """
    result = await conn.execute(
        update(invites)
        .where(invites.c.id == invite_id, invites.c.uses < invites.c.max_uses)
        .values(uses=invites.c.uses + 1)
        .returning(invites.c.uses)
    )
    used = result.scalar_one_or_none()
    return None if used is None else int(used)


async def revoke_open(conn: AsyncConnection, unit_id: int, now: datetime) -> int:
    result = await conn.execute(
        update(invites)
        .where(
            invites.c.unit_id == unit_id,
            invites.c.revoked_at.is_(None),
            invites.c.expires_at > now,
            invites.c.uses < invites.c.max_uses,
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount)
