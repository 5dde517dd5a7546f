"""The report tests' world (the example block, representatives of VPTU, BBT twice and
UBKT, a clock inside phase 1), shared with tests/reports; and BBT's empty template made
once, for the tests that only look at files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.blockfile import load_block_file
from bot.services.clock import ManualClock
from bot.services.report_excel.download import make_template
from bot.services.setup import apply_block_spec
from bot.texts import catalog
from storage import blocks as blocks_repo
from tests.conftest import migrated_database
from tests.reports.conftest import EXAMPLE, World, local, world

__all__ = ["World", "world"]


async def _make(folder: Path) -> bytes:
    async with migrated_database(folder) as db:
        clock = ManualClock(local(2023, 3, 1, 9, 0))
        done = await apply_block_spec(db, load_block_file(EXAMPLE), clock)
        async with db.read() as conn:
            block = await blocks_repo.get_block(conn, done.block_id)
            assert block is not None
            tree = await blocks_repo.load_tree(conn, block)
        unit = next(u for u in tree.units if u.code == "BBT")
        made = await make_template(db, clock, catalog(), block=block, unit=unit, lang="vi")
        assert made.file is not None
        return made.file.data


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return asyncio.run(_make(tmp_path_factory.mktemp("template")))
