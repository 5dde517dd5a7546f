"""The parsed example block, shared by the parser tests."""

from __future__ import annotations

import pytest

from bot.blockfile import BlockSpec, load_block_file
from tests.blockfile.helpers import EXAMPLE


@pytest.fixture(scope="module")
def spec() -> BlockSpec:
    return load_block_file(EXAMPLE)
