"""The async engine: one per process, SQLite tuned for a bot that writes from many updates.

SQLAlchemy's own `sqlite+aiosqlite` dialect, with the PRAGMAs set on every new connection
(a `connect` event). Transactions are the driver's (sqlite3's) own: BEGIN is sent before a
transaction's first write, so everything a use case wrote is committed or rolled back
together, and the write lock is taken by that first write, waiting up to the busy timeout
for another writer (the CLI, another update) instead of failing on a stale read snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.private import private_file, private_folder

T = TypeVar("T")

# Long enough to ride out a concurrent writer (the CLI while the bot runs), short enough that a
# stuck lock surfaces as an error instead of a silent hang.
SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _tune_sqlite(dbapi: Any, _record: Any, *, checkpoints_elsewhere: bool) -> None:
    cursor = dbapi.cursor()
    # WAL lets the bot read while the CLI writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    if checkpoints_elsewhere:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def make_engine(url: str, *, checkpoints_elsewhere: bool = False) -> AsyncEngine:
    """Create the engine, creating the SQLite folder (0700) and file (0600) first so a fresh
    machine just works and other accounts read nothing (SQLite gives its -wal and -shm files
    the database file's mode)."""
    path = sqlite_file(url)
    if path is not None:
        private_file(private_folder(path.parent) / path.name)
    engine = create_async_engine(url, pool_pre_ping=path is None)
    if make_url(url).drivername.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect",
                     partial(_tune_sqlite, checkpoints_elsewhere=checkpoints_elsewhere))
    return engine


class Database:
    """Owns the engine; every use case runs in one `transaction()`.

    `background_checkpoints` (the bot): SQLite's WAL is not checkpointed by whichever commit
    happens to cross the autocheckpoint threshold, making every update queued behind that
    commit wait for the copy, but by `checkpoint()`, which the bot runs as a job.
    """

    def __init__(self, url: str, *, background_checkpoints: bool = False) -> None:
        self.url = url
        self.background_checkpoints = background_checkpoints and sqlite_file(url) is not None
        self.engine = make_engine(url, checkpoints_elsewhere=self.background_checkpoints)

    def transaction(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection in a transaction: committed when the block ends, rolled back if it
        raises."""
        return self.engine.begin()

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for reading; whatever it did is rolled back when the block ends."""
        return self.engine.connect()

    async def read_in_one(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(connection, *args)` on a sync connection of its own: a read made of several
        statements (identify's, which every update starts with) as one unit of work, run
        with `AsyncConnection.run_sync` instead of awaiting each statement."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(fn, *args)

    async def checkpoint(self) -> tuple[int, int, int] | None:
        """Copy the WAL's committed pages into the database file as far as readers allow
        (PASSIVE: no one waits for it); SQLite's (busy, WAL frames, frames copied), or None
        when this database does not checkpoint in the background. Like every statement, it
        runs on the connection's aiosqlite thread while the event loop goes on."""
        if not self.background_checkpoints:
            return None
        async with self.engine.connect() as conn:
            row = (await conn.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))).one()
        return int(row[0]), int(row[1]), int(row[2])

    async def close(self) -> None:
        await self.engine.dispose()
