"""Blocks and their units, phases and criteria."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import tree_cache
from storage.records import Block, BlockTree, Criterion, Phase, Unit
from storage.tables import blocks, criteria, members, phases, units

_BLOCK_FIELDS = ("code", "name", "province", "year", "theme", "timezone", "language", "settings")


def _block(row: Any) -> Block:
    return Block(**{k: row[k] for k in Block.__dataclass_fields__})


def _unit(row: Any) -> Unit:
    return Unit(**{k: row[k] for k in Unit.__dataclass_fields__})


def _phase(row: Any) -> Phase:
    return Phase(**{k: row[k] for k in Phase.__dataclass_fields__})


def _criterion(row: Any) -> Criterion:
    return Criterion(**{k: row[k] for k in Criterion.__dataclass_fields__})


async def get_block_by_code(conn: AsyncConnection, code: str) -> Block | None:
    row = (await conn.execute(select(blocks).where(blocks.c.code == code))).mappings().first()
    return _block(row) if row else None


_BLOCK = select(blocks).where(blocks.c.id == bindparam("id"))  # built once: read on many paths


async def get_block(conn: AsyncConnection, block_id: int) -> Block | None:
    row = (await conn.execute(_BLOCK, {"id": block_id})).mappings().first()
    return _block(row) if row else None


async def get_block_by_group(conn: AsyncConnection, chat_id: int) -> Block | None:
    query = select(blocks).where(blocks.c.group_chat_id == chat_id)
    row = (await conn.execute(query)).mappings().first()
    return _block(row) if row else None


async def list_blocks(conn: AsyncConnection) -> list[Block]:
    rows = (await conn.execute(select(blocks).order_by(blocks.c.id))).mappings()
    return [_block(r) for r in rows]


async def save_block(
    conn: AsyncConnection, values: dict[str, Any], now: datetime
) -> tuple[int, bool, dict[str, tuple[Any, Any]]]:
    """Insert or update a block by code; returns its id, whether it is new, what changed."""
    row = (
        (await conn.execute(select(blocks).where(blocks.c.code == values["code"])))
        .mappings()
        .first()
    )
    if row is None:
        result = await conn.execute(
            insert(blocks).values(**values, created_at=now, updated_at=now)
        )
        new_id = result.inserted_primary_key
        assert new_id is not None
        return int(new_id[0]), True, {}
    changed = {k: (row[k], values[k]) for k in _BLOCK_FIELDS if row[k] != values[k]}
    if changed:
        await conn.execute(
            update(blocks)
            .where(blocks.c.id == row["id"])
            .values(**{k: v[1] for k, v in changed.items()},
                    updated_at=max(now, row["updated_at"] + timedelta(microseconds=1)))
        )  # never backwards, even under a stopped test clock: see storage.tree_cache
    return int(row["id"]), False, changed


async def sync_children(
    conn: AsyncConnection, table: Table, block_id: int, wanted: list[dict[str, Any]],
    *, now: datetime | None = None,
) -> list[tuple[str, str, dict[str, Any]]]:
    """Make `table`'s rows of a block match `wanted` (matched by code).

    New codes are inserted, changed rows updated, and rows missing from `wanted` are
    deactivated rather than deleted, because reports and signatures point at them.
    Returns (change, code, details) triples: "added", "changed" or "removed". Any write
    (a reordering too) moves the block's updated_at forward, which expires cached trees.
    """
    changes = await _sync_rows(conn, table, block_id, wanted)
    if changes is not None:
        await touch(conn, block_id, now)
    return changes or []


async def touch(conn: AsyncConnection, block_id: int, now: datetime | None = None) -> None:
    """Move the block's updated_at strictly forward (to `now`, or a microsecond on when the
    clock has not moved, as under a test clock), so trees cached for it expire."""
    query = select(blocks.c.updated_at).where(blocks.c.id == block_id)
    old = (await conn.execute(query)).scalar_one_or_none()
    if old is None:
        return
    stamp = old + timedelta(microseconds=1)
    if now is not None and now > stamp:
        stamp = now
    await conn.execute(update(blocks).where(blocks.c.id == block_id).values(updated_at=stamp))


async def _sync_rows(
    conn: AsyncConnection, table: Table, block_id: int, wanted: list[dict[str, Any]]
) -> list[tuple[str, str, dict[str, Any]]] | None:
    """sync_children's work; None when nothing was written."""
    wrote = False
    existing = {
        r["code"]: r
        for r in (await conn.execute(select(table).where(table.c.block_id == block_id)))
        .mappings()
        .all()
    }
    changes: list[tuple[str, str, dict[str, Any]]] = []
    for position, values in enumerate(wanted):
        values = {**values, "position": position, "active": True}
        old = existing.pop(values["code"], None)
        if old is None:
            await conn.execute(insert(table).values(block_id=block_id, **values))
            changes.append(("added", values["code"], {}))
            wrote = True
            continue
        diff = {k: (old[k], v) for k, v in values.items() if old[k] != v}
        if diff:
            await conn.execute(update(table).where(table.c.id == old["id"]).values(**values))
            wrote = True
            real = {k: d for k, d in diff.items() if k not in ("position", "active")}
            if real or "active" in diff:
                changes.append(("changed", values["code"], real))
    for code, old in existing.items():
        if old["active"]:
            await conn.execute(update(table).where(table.c.id == old["id"]).values(active=False))
            wrote = True
            changes.append(("removed", code, {}))
    return changes if wrote else None


async def load_tree(conn: AsyncConnection, block: Block) -> BlockTree:
    """The block with its active units, phases and criteria (three small queries, or none
    while storage.tree_cache holds the tree of this block row's updated_at)."""
    cached = tree_cache.lookup(conn, block)
    if cached is not None:
        return BlockTree(block, *cached)

    async def rows(table: Table) -> list[Any]:
        query = (
            select(table)
            .where(table.c.block_id == block.id, table.c.active.is_(True))
            .order_by(table.c.position)
        )
        return list((await conn.execute(query)).mappings())

    parts = (
        tuple(_unit(r) for r in await rows(units)),
        tuple(_phase(r) for r in await rows(phases)),
        tuple(_criterion(r) for r in await rows(criteria)),
    )
    tree_cache.store(conn, block, parts)
    return BlockTree(block, *parts)


async def get_unit(conn: AsyncConnection, unit_id: int) -> Unit | None:
    row = (await conn.execute(select(units).where(units.c.id == unit_id))).mappings().first()
    return _unit(row) if row else None


async def get_unit_by_code(conn: AsyncConnection, block_id: int, code: str) -> Unit | None:
    query = select(units).where(units.c.block_id == block_id, units.c.code == code)
    row = (await conn.execute(query)).mappings().first()
    return _unit(row) if row else None


async def bind_group(conn: AsyncConnection, block_id: int, chat_id: int | None) -> None:
    # A chat can serve one block only: release it elsewhere first (unique column).
    if chat_id is not None:
        await conn.execute(
            update(blocks)
            .where(blocks.c.group_chat_id == chat_id, blocks.c.id != block_id)
            .values(group_chat_id=None)
        )
    await conn.execute(update(blocks).where(blocks.c.id == block_id).values(group_chat_id=chat_id))


async def move_group(conn: AsyncConnection, old_chat_id: int, new_chat_id: int) -> int | None:
    """Follow a group that became a supergroup; returns the block id that moved."""
    block = await get_block_by_group(conn, old_chat_id)
    if block is None:
        return None
    await conn.execute(
        update(blocks).where(blocks.c.id == block.id).values(group_chat_id=new_chat_id)
    )
    return block.id


async def lock_block(conn: AsyncConnection, block_id: int) -> None:
    """Hold the block until the caller's transaction ends: a use case whose rule reads
    before it writes (the chair's /remind cooldown) runs this first, so a second one for
    the same block waits for the first to commit and then reads what it wrote. A write
    that changes nothing: SQLite takes its write lock, PostgreSQL the row's lock."""
    await conn.execute(
        update(blocks).where(blocks.c.id == block_id).values(updated_at=blocks.c.updated_at)
    )


# /status is the most frequent command: the statement is built once (SQLAlchemy then only
# binds the block id).
_REGISTERED_UNITS = select(func.count(func.distinct(members.c.unit_id))).where(
    members.c.block_id == bindparam("block_id"), members.c.active.is_(True)
)


async def registered_unit_count(conn: AsyncConnection, block_id: int) -> int:
    """How many of the block's units have an active representative."""
    found = await conn.execute(_REGISTERED_UNITS, {"block_id": block_id})
    return int(found.scalar_one())
