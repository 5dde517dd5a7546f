"""Covenant versions, unit pledges and signatures (the records: storage.covenant.records)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

# The records are importable from here too (storage.covenant.Signature), as before.
from storage.covenant.records import CovenantVersion, Pledge, Signature
from storage.covenant.tables import covenant_signatures, covenant_versions, unit_pledges


def _version(row: Any) -> CovenantVersion:
    return CovenantVersion(**{k: row[k] for k in CovenantVersion.__dataclass_fields__})


def _pledge(row: Any) -> Pledge:
    return Pledge(**{k: row[k] for k in Pledge.__dataclass_fields__})


def _signature(row: Any) -> Signature:
    return Signature(**{k: row[k] for k in Signature.__dataclass_fields__})


async def latest_version(conn: AsyncConnection, block_id: int) -> CovenantVersion | None:
    query = (
        select(covenant_versions)
        .where(covenant_versions.c.block_id == block_id)
        .order_by(covenant_versions.c.number.desc())
        .limit(1)
    )
    row = (await conn.execute(query)).mappings().first()
    return _version(row) if row else None


async def get_version(conn: AsyncConnection, version_id: int) -> CovenantVersion | None:
    query = select(covenant_versions).where(covenant_versions.c.id == version_id)
    row = (await conn.execute(query)).mappings().first()
    return _version(row) if row else None


async def block_versions(conn: AsyncConnection, block_id: int) -> list[CovenantVersion]:
    query = (
        select(covenant_versions)
        .where(covenant_versions.c.block_id == block_id)
        .order_by(covenant_versions.c.number)
    )
    return [_version(r) for r in (await conn.execute(query)).mappings()]


async def add_version(
    conn: AsyncConnection,
    *,
    block_id: int,
    language: str,
    title: str,
    content: dict[str, Any],
    text: str,
    text_hash: str,
    now: datetime,
    by_tg_id: int | None,
    reason: str,
) -> CovenantVersion:
    """Add the next version of a block's covenant (numbers count from 1)."""
    top = select(func.coalesce(func.max(covenant_versions.c.number), 0)).where(
        covenant_versions.c.block_id == block_id
    )
    number = int((await conn.execute(top)).scalar_one()) + 1
    result = await conn.execute(
        covenant_versions.insert().values(
            block_id=block_id, number=number, language=language, title=title,
            content=content, text=text, text_hash=text_hash, published_at=now,
            published_by_tg_id=by_tg_id, reason=reason,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    version = await get_version(conn, int(key[0]))
    assert version is not None
    return version


async def supersede_signatures(
    conn: AsyncConnection, block_id: int, keep_version_id: int, now: datetime
) -> int:
    """Mark every live signature of other versions superseded; returns how many."""
    result = await conn.execute(
        update(covenant_signatures)
        .where(
            covenant_signatures.c.block_id == block_id,
            covenant_signatures.c.version_id != keep_version_id,
            covenant_signatures.c.superseded_at.is_(None),
        )
        .values(superseded_at=now)
    )
    return int(result.rowcount)


# Read with every view of a report form (the unit's targets): built once.
_GET_PLEDGE = select(unit_pledges).where(unit_pledges.c.unit_id == bindparam("unit_id"))


async def get_pledge(conn: AsyncConnection, unit_id: int) -> Pledge | None:
    row = (await conn.execute(_GET_PLEDGE, {"unit_id": unit_id})).mappings().first()
    return _pledge(row) if row else None


async def block_pledges(conn: AsyncConnection, block_id: int) -> dict[int, Pledge]:
    query = select(unit_pledges).where(unit_pledges.c.block_id == block_id)
    return {r["unit_id"]: _pledge(r) for r in (await conn.execute(query)).mappings()}


async def put_pledge(
    conn: AsyncConnection,
    *,
    block_id: int,
    unit_id: int,
    slogan: str | None,
    targets: dict[str, str],
    now: datetime,
    by_tg_id: int | None,
) -> None:
    values = {
        "slogan": slogan, "targets": targets, "updated_at": now, "updated_by_tg_id": by_tg_id,
    }
    stmt = sqlite_insert(unit_pledges).values(block_id=block_id, unit_id=unit_id, **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["unit_id"], set_=values))


async def add_signature(
    conn: AsyncConnection,
    *,
    block_id: int,
    version_id: int,
    unit_id: int,
    signer_tg_id: int,
    signer_name: str,
    signed_at: datetime,
    pledge: dict[str, Any],
    signed_text: str,
    text_hash: str,
) -> bool:
    """Record a signature; False if the unit had already signed this version.

    ON CONFLICT DO NOTHING on the unique (version, unit) pair makes a double tap that
    slips past the service's check a no-op instead of an error.
    """
    stmt = sqlite_insert(covenant_signatures).values(
        block_id=block_id, version_id=version_id, unit_id=unit_id, signer_tg_id=signer_tg_id,
        signer_name=signer_name, signed_at=signed_at, pledge=pledge,
        signed_text=signed_text, text_hash=text_hash,
    )
    result = await conn.execute(
        stmt.on_conflict_do_nothing(index_elements=["version_id", "unit_id"])
    )
    return bool(result.rowcount)


async def signature_of(
    conn: AsyncConnection, version_id: int, unit_id: int
) -> Signature | None:
    query = select(covenant_signatures).where(
        covenant_signatures.c.version_id == version_id,
        covenant_signatures.c.unit_id == unit_id,
    )
    row = (await conn.execute(query)).mappings().first()
    return _signature(row) if row else None


async def version_signatures(conn: AsyncConnection, version_id: int) -> list[Signature]:
    query = (
        select(covenant_signatures)
        .where(covenant_signatures.c.version_id == version_id)
        .order_by(covenant_signatures.c.signed_at, covenant_signatures.c.id)
    )
    return [_signature(r) for r in (await conn.execute(query)).mappings()]


async def block_signatures(conn: AsyncConnection, block_id: int) -> list[Signature]:
    """Every signature of a block, superseded ones included, oldest first."""
    query = (
        select(covenant_signatures)
        .where(covenant_signatures.c.block_id == block_id)
        .order_by(covenant_signatures.c.signed_at, covenant_signatures.c.id)
    )
    return [_signature(r) for r in (await conn.execute(query)).mappings()]
