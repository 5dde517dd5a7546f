"""What /status shows: pure reads, no Telegram types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select

from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, BlockTree, Phase
from storage.tables import members


def current_phase(tree: BlockTree, now: datetime) -> Phase | None:
    """The phase whose start..end (local dates of the block) contains today."""
    today = now.astimezone(tree.block.tz).date()
    return next((p for p in tree.phases if p.start <= today <= p.end), None)


def next_phase(tree: BlockTree, now: datetime) -> Phase | None:
    today = now.astimezone(tree.block.tz).date()
    return next((p for p in tree.phases if p.start > today), None)


@dataclass(frozen=True)
class BlockStatus:
    tree: BlockTree
    phase: Phase | None
    upcoming: Phase | None
    registered_units: int


# /status is the most frequent command: the statement is built once (building and hashing
# it per call cost as much as running it; tests/benchmarks/load.py).
_REGISTERED_UNITS = select(func.count(func.distinct(members.c.unit_id))).where(
    members.c.block_id == bindparam("block_id"), members.c.active.is_(True)
)


async def block_status(db: Database, block: Block, now: datetime) -> BlockStatus:
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        found = await conn.execute(_REGISTERED_UNITS, {"block_id": block.id})
        registered = int(found.scalar_one())
    return BlockStatus(
        tree=tree,
        phase=current_phase(tree, now),
        upcoming=next_phase(tree, now),
        registered_units=registered,
    )
