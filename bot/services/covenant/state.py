"""The covenant's state in a block: the text in the block file, the latest published
version and the live signatures, read in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.covenant.hash import CovenantContent
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage.covenant.records import CovenantVersion, Signature
from storage.records import Block, BlockTree, Unit


@dataclass(frozen=True)
class CovenantState:
    block: Block
    tree: BlockTree
    draft: CovenantContent | None  # the text in the block file now
    version: CovenantVersion | None  # the latest published version
    signatures: dict[int, Signature] = field(default_factory=dict)  # live, by unit id

    @property
    def total(self) -> int:
        return len(self.tree.units)

    @property
    def signed(self) -> int:
        return sum(1 for u in self.tree.units if u.id in self.signatures)

    def unsigned_units(self) -> list[Unit]:
        return [u for u in self.tree.units if u.id not in self.signatures]

    def content(self) -> CovenantContent | None:
        if self.version is not None:
            return CovenantContent.from_settings(self.version.content)
        return self.draft


def draft_of(block: Block) -> CovenantContent | None:
    raw = block.settings.get("covenant")
    return CovenantContent.from_settings(raw) if raw else None


async def load_state(conn: AsyncConnection, block: Block) -> CovenantState:
    tree = await blocks_repo.load_tree(conn, block)
    version = await covenant_repo.latest_version(conn, block.id)
    live: dict[int, Signature] = {}
    if version is not None:
        active = {u.id for u in tree.units}
        for sig in await covenant_repo.version_signatures(conn, version.id):
            if not sig.superseded and sig.unit_id in active:
                live[sig.unit_id] = sig
    return CovenantState(block, tree, draft_of(block), version, live)
