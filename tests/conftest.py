"""Shared fixtures: a running bot against the offline Bot API emulator."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# Matplotlib must never try a GUI backend in tests, and PTB returns timedeltas (see bot/).
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("PTB_TIMEDELTA", "true")

from storage.db import Database
from storage.migrate import upgrade_database
from tests.e2e.harness import BotHarness


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, fully migrated SQLite database file for one test."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    await upgrade_database(database)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The example block set up, the real bot polling the emulator."""
    h = BotHarness(tmp_path)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
