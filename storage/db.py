"""The async engine: one per process, SQLite tuned for a bot that writes from many updates."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.sqlite_driver import fast_creator

# Long enough to ride out a concurrent writer (the CLI while the bot runs), short enough that a
# stuck lock surfaces as an error instead of a silent hang.
SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _tune_sqlite(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets the bot read while the CLI writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    """Create the engine, creating the SQLite folder first so a fresh machine just works."""
    path = sqlite_file(url)
    options: dict[str, Any] = {}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        creator = (fast_creator(path, SQLITE_BUSY_TIMEOUT_MS)
                   if not make_url(url).query else None)
        if creator is not None:  # one trip to the database thread per statement
            options["async_creator"] = creator
    engine = create_async_engine(url, pool_pre_ping=path is None, **options)
    if make_url(url).drivername.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


class Database:
    """Owns the engine; every use case runs in one `transaction()`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    # SQLAlchemy's own context managers, not wrapped in generators of ours (a few µs each,
    # and every update opens two or three).
    def transaction(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self.engine.begin()

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self.engine.connect()

    async def close(self) -> None:
        await self.engine.dispose()
