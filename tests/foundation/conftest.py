from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.blockfile import BlockSpec, load_block_file
from bot.services.clock import ManualClock

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"




@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2023, 2, 1, 3, 0, tzinfo=UTC))


@pytest.fixture
def spec() -> BlockSpec:
    return load_block_file(EXAMPLE)
