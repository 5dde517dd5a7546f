"""Fixtures of the report tests: a fresh database with the example block and a few
representatives (chair VPTU, BBT twice, UBKT), on a clock inside phase 1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.blockfile import load_block_file
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from bot.texts import Catalog, catalog
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Block, BlockTree, Criterion, Phase, Unit

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

CHAIR_TG = 1001
BBT_TG = 2001
BBT2_TG = 2002
UBKT_TG = 3001


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


@dataclass
class World:
    db: Database
    clock: ManualClock
    texts: Catalog
    tree: BlockTree

    @property
    def block(self) -> Block:
        return self.tree.block

    def unit(self, code: str) -> Unit:
        return next(u for u in self.tree.units if u.code == code)

    def phase(self, code: str) -> Phase:
        return next(p for p in self.tree.phases if p.code == code)

    def criterion(self, code: str) -> Criterion:
        return next(c for c in self.tree.criteria if c.code == code)




@pytest.fixture
async def world(db: Database) -> World:
    clock = ManualClock(local(2023, 3, 1, 9, 0))
    report = await apply_block_spec(db, load_block_file(EXAMPLE), clock)
    async with db.transaction() as conn:
        block = await blocks_repo.get_block(conn, report.block_id)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
        units = {u.code: u for u in tree.units}
        for tg, code in ((CHAIR_TG, "VPTU"), (BBT_TG, "BBT"), (BBT2_TG, "BBT"),
                         (UBKT_TG, "UBKT")):
            await members_repo.add_member(
                conn, block_id=block.id, unit_id=units[code].id, tg_user_id=tg,
                full_name=f"User {tg}", username=None, language_code="vi", now=clock.now(),
            )
    return World(db=db, clock=clock, texts=catalog(), tree=tree)
