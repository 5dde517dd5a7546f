"""Shared fixtures: a running bot against the offline Bot API emulator."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

# Matplotlib must never try a GUI backend in tests, and PTB returns timedeltas (see bot/).
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("PTB_TIMEDELTA", "true")

from storage.db import Database
from storage.migrate import upgrade_database
from tests.e2e.harness import EXAMPLE_BLOCK, BotHarness


@pytest.fixture(autouse=True)
async def no_task_outlives_its_test() -> AsyncIterator[None]:
    """Fails a test that leaves a task running once its fixtures are torn down (this one is
    set up first, so it checks last). Such a task is destroyed with the test's event loop,
    and one caught holding a database connection leaks it: a send the outbox had begun
    when the bot stopped was one, until post_stop closed the outbox."""
    yield
    current = asyncio.current_task()
    left = sorted(f"{t.get_name()} ({getattr(t.get_coro(), '__qualname__', '?')})"
                  for t in asyncio.all_tasks() if t is not current and not t.done())
    assert not left, f"tasks still running after the test: {', '.join(left)}"


@asynccontextmanager
async def migrated_database(directory: Path, name: str = "t") -> AsyncIterator[Database]:
    """A fresh, fully migrated SQLite database file `name`.db in `directory`, closed on
    leaving."""
    database = Database(f"sqlite+aiosqlite:///{directory}/{name}.db")
    try:
        await upgrade_database(database)
        yield database
    finally:
        await database.close()


@contextmanager
def counting_statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements `db` sends to SQLite inside the block, in order."""
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, fully migrated SQLite database file for one test."""
    async with migrated_database(tmp_path) as database:
        yield database


@pytest.fixture
def harness_block_file() -> Path:
    """The block file the `harness` fixture sets up; a test module overrides this fixture
    to run the bot on a block of its own."""
    return EXAMPLE_BLOCK


@pytest.fixture
async def harness(tmp_path: Path, harness_block_file: Path) -> AsyncIterator[BotHarness]:
    """The block (the example one unless overridden) set up, the real bot polling the
    emulator."""
    h = BotHarness(tmp_path, block_file=harness_block_file)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
