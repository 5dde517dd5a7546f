"""Block trees (active units, phases, criteria) kept per database, keyed by the block's
`updated_at`.

Why: nearly every update reads its block's tree, the report form up to five times per
update, and the tree changes only when block setup writes a unit, phase or criterion.
`storage.blocks.sync_children` (setup's only way to change them) moves the block's
`updated_at` strictly forward whenever it writes, and handlers work with a Block row read
afresh for their update, so a tree cached under the row's `updated_at` is what the three
queries would return, and tree reads were a large share of the bot's statements.

One entry per block and database: a Block row with any other `updated_at` (older or newer)
reads the tree again and replaces the entry, and a rolled-back setup leaves at worst an
entry no committed row refers to. Databases are told apart by their engine, weakly held,
so tests with a fresh database each never see each other's trees.
"""

from __future__ import annotations

import weakref
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.records import Block, Criterion, Phase, Unit

Parts = tuple[tuple[Unit, ...], tuple[Phase, ...], tuple[Criterion, ...]]

_TREES: weakref.WeakKeyDictionary[Engine, dict[int, tuple[datetime, Parts]]] = (
    weakref.WeakKeyDictionary()
)


def lookup(conn: AsyncConnection, block: Block) -> Parts | None:
    if block.updated_at is None:
        return None
    found = _TREES.get(conn.sync_engine, {}).get(block.id)
    if found is None or found[0] != block.updated_at:
        return None
    return found[1]


def store(conn: AsyncConnection, block: Block, parts: Parts) -> None:
    if block.updated_at is not None:
        _TREES.setdefault(conn.sync_engine, {})[block.id] = (block.updated_at, parts)


def forget(conn: AsyncConnection, block_id: int) -> None:
    _TREES.get(conn.sync_engine, {}).pop(block_id, None)
