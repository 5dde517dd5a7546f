"""What /status shows: where the block stands today (its phase, the next one, how many
units registered), read in one go; pure reads, no Telegram types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, BlockTree, Phase


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


async def block_status(db: Database, block: Block, now: datetime) -> BlockStatus:
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        registered = await blocks_repo.registered_unit_count(conn, block.id)
    return BlockStatus(
        tree=tree,
        phase=current_phase(tree, now),
        upcoming=next_phase(tree, now),
        registered_units=registered,
    )
