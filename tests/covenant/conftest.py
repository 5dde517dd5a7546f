"""Fixtures of the covenant tests: the example block with one representative per unit
(two for BBT), bound to a group, on a clock in February 2023 (signing season)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.blockfile import BlockSpec, load_block_file
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from bot.texts import Catalog, catalog
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Block, BlockTree, Unit

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"
GROUP_ID = -100500
OUTSIDER_TG = 999
BBT2_TG = 9002


def rep_tg(position: int) -> int:
    """Telegram id of the representative of the unit at `position` (0-based, file order)."""
    return 9000 + position * 10


@dataclass
class World:
    db: Database
    clock: ManualClock
    texts: Catalog
    spec: BlockSpec
    tree: BlockTree

    @property
    def block(self) -> Block:
        return self.tree.block

    def unit(self, code: str) -> Unit:
        return next(u for u in self.tree.units if u.code == code)

    def rep(self, code: str) -> int:
        return rep_tg(next(i for i, u in enumerate(self.tree.units) if u.code == code))

    async def refresh(self) -> None:
        async with self.db.read() as conn:
            block = await blocks_repo.get_block(conn, self.block.id)
            assert block is not None
            self.tree = await blocks_repo.load_tree(conn, block)

    async def resetup(self, **covenant_changes: object) -> list[str]:
        """Run setup again with the covenant table changed, as the chair would."""
        assert self.spec.covenant is not None
        covenant = dataclasses.replace(self.spec.covenant, **covenant_changes)  # type: ignore[arg-type]
        self.spec = dataclasses.replace(self.spec, covenant=covenant)
        report = await apply_block_spec(self.db, self.spec, self.clock)
        await self.refresh()
        return report.changes




@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2023, 2, 1, 3, 0, tzinfo=UTC))


@pytest.fixture
async def world(db: Database, clock: ManualClock) -> World:
    spec = load_block_file(EXAMPLE)
    report = await apply_block_spec(db, spec, clock)
    async with db.transaction() as conn:
        await blocks_repo.bind_group(conn, report.block_id, GROUP_ID)
        block = await blocks_repo.get_block(conn, report.block_id)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
        for position, unit in enumerate(tree.units):
            await members_repo.add_member(
                conn, block_id=block.id, unit_id=unit.id, tg_user_id=rep_tg(position),
                full_name=f"Đại diện {unit.code}", username=None, language_code="vi",
                now=clock.now(),
            )
        bbt = next(u for u in tree.units if u.code == "BBT")
        await members_repo.add_member(
            conn, block_id=block.id, unit_id=bbt.id, tg_user_id=BBT2_TG,
            full_name="Phó ban BBT", username=None, language_code="vi", now=clock.now(),
        )
    return World(db, clock, catalog(), spec, tree)
