from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.blockfile import BlockSpec, load_block_file
from bot.services.clock import ManualClock
from storage.db import Database
from storage.migrate import upgrade_database

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    await upgrade_database(database)
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2023, 2, 1, 3, 0, tzinfo=UTC))


@pytest.fixture
def spec() -> BlockSpec:
    return load_block_file(EXAMPLE)
