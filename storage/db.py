"""The async engine: one per process, SQLite tuned for a bot that writes from many updates."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncTransaction,
    create_async_engine,
)
from sqlalchemy.util import greenlet_spawn

from storage.sqlite_driver import fast_creator

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


def _tune_sqlite(dbapi_conn: Any, _record: Any, *, checkpoints_elsewhere: bool) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets the bot read while the CLI writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    if checkpoints_elsewhere:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def make_engine(url: str, *, checkpoints_elsewhere: bool = False) -> AsyncEngine:
    """Create the engine, creating the SQLite folder first so a fresh machine just works."""
    path = sqlite_file(url)
    options: dict[str, Any] = {}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        creator = (fast_creator(path, SQLITE_BUSY_TIMEOUT_MS,
                                checkpoints_elsewhere=checkpoints_elsewhere)
                   if not make_url(url).query else None)
        if creator is not None:  # one trip to the database thread per statement
            options["async_creator"] = creator
    engine = create_async_engine(url, pool_pre_ping=path is None, **options)
    if make_url(url).drivername.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect",
                     partial(_tune_sqlite, checkpoints_elsewhere=checkpoints_elsewhere))
    return engine


class Database:
    """Owns the engine; every use case runs in one `transaction()`.

    `background_checkpoints` (the bot): SQLite's WAL is not checkpointed by whichever commit
    crosses 1,000 pages (that commit took 5-25 ms while every queued update waited, a few
    times a second under load: tests/benchmarks/load.py) but by `checkpoint()`, which the
    bot runs as a job; its copying happens on the database thread while updates go on.
    """

    def __init__(self, url: str, *, background_checkpoints: bool = False) -> None:
        self.url = url
        self.background_checkpoints = background_checkpoints and sqlite_file(url) is not None
        self.engine = make_engine(url, checkpoints_elsewhere=self.background_checkpoints)
        self._lean = sqlite_file(url) is not None

    # Every update opens two or three of these: no generator-based context managers.
    def transaction(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return _Transaction(self.engine) if self._lean else self.engine.begin()

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return _Read(self.engine) if self._lean else self.engine.connect()

    async def read_in_one(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(connection, *args)` on a sync connection of its own, in one hop into
        SQLAlchemy's sync world. Each step of an async connection (connect, every
        statement, close) is a hop of its own, a new greenlet each (~8 µs: its frame stack
        is mapped and unmapped); identify's read, which every update starts with, takes one
        instead of three."""
        return await greenlet_spawn(self._read_in_one, fn, *args)

    def _read_in_one(self, fn: Callable[..., T], *args: Any) -> T:
        with self.engine.sync_engine.connect() as conn:
            return fn(conn, *args)

    async def checkpoint(self) -> tuple[int, int, int] | None:
        """Copy the WAL's committed pages into the database file as far as readers allow
        (PASSIVE: no one waits for it); SQLite's (busy, WAL frames, frames copied), or None
        when this database does not checkpoint in the background. A PRAGMA: it runs on the
        database thread (storage/sqlite_driver.py)."""
        if not self.background_checkpoints:
            return None
        async with self.engine.connect() as conn:
            row = (await conn.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))).one()
        return int(row[0]), int(row[1]), int(row[2])

    async def close(self) -> None:
        await self.engine.dispose()


# SQLAlchemy's AsyncConnection closes itself, when its `async with` ends, in a task of its
# own shielded from cancellation, so that a rollback over the network is never abandoned
# half-way: a task, a shield and their callbacks for every connection (~1 % of the bot's
# CPU in the load benchmark). A SQLite file's connection ends a read, or a transaction
# already committed or rolled back, with nothing to wait for (no transaction is open, so
# storage.sqlite_driver.FastConnection's rollback does nothing), so its close cannot be cut
# short and is awaited right here. Other databases keep SQLAlchemy's own.


class _Read:
    __slots__ = ("_conn",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._conn = engine.connect()

    async def __aenter__(self) -> AsyncConnection:
        return await self._conn.start()

    async def __aexit__(self, *exc: object) -> None:
        await self._conn.close()


class _Transaction:
    """engine.begin() without its generator: the transaction is committed, or rolled back
    on an exception, by SQLAlchemy's AsyncTransaction, then the connection is closed."""

    __slots__ = ("_conn", "_transaction")

    def __init__(self, engine: AsyncEngine) -> None:
        self._conn = engine.connect()
        self._transaction: AsyncTransaction | None = None

    async def __aenter__(self) -> AsyncConnection:
        conn = await self._conn.start()
        try:
            self._transaction = await conn.begin().start()
        except BaseException:
            await conn.close()
            raise
        return conn

    async def __aexit__(self, type_: Any, value: Any, traceback: Any) -> None:
        try:
            assert self._transaction is not None
            await self._transaction.__aexit__(type_, value, traceback)
        finally:
            await self._conn.close()
