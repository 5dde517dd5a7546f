"""aiosqlite connections whose statements run on the event loop's thread, or cost one
trip to the database thread, not four.

SQLAlchemy's aiosqlite adapter creates a cursor, executes, fetches all rows and closes the
cursor, and aiosqlite runs each of those steps on the connection's own thread: four
hand-overs between the event loop and that thread per statement. Each hand-over wakes a
thread and passes the GIL, which costs more than the statement itself for the bot's small
indexed queries (tests/benchmarks/load.py: about 350 µs of CPU per statement with the
four hand-overs, 160 µs with one). `FastCursor` does the four steps in one call on the
thread and keeps the rows; SQLAlchemy then reads them without waiting. Most statements
do not even take that trip (FastConnection.try_inline).

It uses two long-standing internals of aiosqlite (`Connection._execute`, which runs a
function on the connection's thread, and `Connection._conn`); `fast_creator` returns None
when they are missing, and the engine then uses the stock driver.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import aiosqlite

Row = tuple[Any, ...]
T = TypeVar("T")
INLINE_STATEMENTS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"})


class FastCursor:
    """The subset of aiosqlite's Cursor that SQLAlchemy's adapter uses."""

    arraysize = 1

    def __init__(self, connection: FastConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Row] = []

    async def __aenter__(self) -> FastCursor:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        return None

    async def execute(self, sql: str, parameters: Any = None) -> FastCursor:
        connection = self._connection
        raw = connection.raw

        def run() -> tuple[Any, int, int | None, list[Row]]:
            cursor = raw.cursor()
            try:
                cursor.execute(sql, () if parameters is None else parameters)
                rows = cursor.fetchall() if cursor.description else []
                return cursor.description, cursor.rowcount, cursor.lastrowid, rows
            finally:
                cursor.close()

        result = connection.try_inline(run, sql)
        if result is None:
            result = await connection.on_thread(run)
        self.description, self.rowcount, self.lastrowid, self._rows = result
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> FastCursor:
        connection = self._connection
        raw = connection.raw
        rows = list(parameters)

        def run() -> tuple[Any, int, int | None]:
            cursor = raw.cursor()
            try:
                cursor.executemany(sql, rows)
                return cursor.description, cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        # Right here only inside a transaction that has written already (a typed value's
        # audit rows, after its upsert): it holds the write lock, so no row can find the
        # database locked half-way and none is written twice by going to the thread after.
        result = connection.try_inline(run, sql) if raw.in_transaction else None
        if result is None:
            result = await connection.on_thread(run)
        self.description, self.rowcount, self.lastrowid = result
        self._rows = []
        return self

    async def fetchall(self) -> list[Row]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Row | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Row]:
        count = size or self.arraysize
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def close(self) -> None:
        self._rows = []


class FastConnection(aiosqlite.Connection):
    """An aiosqlite connection handing out FastCursors, whose commit and rollback skip the
    trip to the thread when no transaction is open: sqlite3 opens one only before a write,
    so a read (returned to the pool with a rollback) or a use case that wrote nothing has
    nothing to end. The flag is read while no statement of this connection runs
    (SQLAlchemy awaits each one), so it cannot change meanwhile."""

    def cursor(self) -> FastCursor:  # type: ignore[override]
        return FastCursor(self)

    def _open(self) -> bool:
        return self._connection is None or self._conn.in_transaction

    # True when nothing checkpoints the WAL at commit (storage.db: the bot's checkpoints run
    # in a job of their own): COMMIT then only appends to the WAL, without fsync
    # (synchronous=NORMAL), under the write lock the transaction already holds, so it runs
    # right here instead of costing a trip to the thread.
    checkpoints_elsewhere = False

    async def commit(self) -> None:
        if not self._open():
            return
        if self.checkpoints_elsewhere and self._connection is not None:
            try:
                self._conn.commit()
                return
            except sqlite3.OperationalError as exc:
                if not _locked(exc):
                    raise
        await self.on_thread(self._conn.commit)  # it may wait (busy timeout on)

    async def rollback(self) -> None:
        if self._open():
            await self.on_thread(self._conn.rollback)

    @property
    def raw(self) -> sqlite3.Connection:
        return self._conn

    def on_thread(self, fn: Callable[[], T]) -> Awaitable[T]:
        """fn() on the database thread, where it may wait for a lock (busy timeout on)."""

        def patiently() -> T:
            self._set_busy(self.patience_ms)
            return fn()

        return self._execute(patiently)

    # -- statements run on the event loop's own thread -----------------------------------
    # A trip to the database thread costs more than the bot's small indexed statements
    # themselves (tests/benchmarks/load.py). So a statement first runs right here, with
    # SQLite's busy timeout at zero: it either finishes at once or finds the database
    # locked by another writer (another pooled connection mid-transaction, the CLI), and
    # only then goes to the thread, where it may wait (busy timeout restored) without
    # holding up the loop. COMMIT goes to the thread too (it may checkpoint: fsync, pages
    # copied) unless checkpoints run elsewhere.

    patience_ms = 0  # how long a statement on the thread may wait for a lock (fast_creator)
    _busy_ms = 0  # the busy timeout SQLite has now

    def try_inline(self, run: Callable[[], T], sql: str) -> T | None:
        """run() on this thread, or None when it must go to the database thread."""
        words = sql.split(None, 1)
        if not words or words[0].upper() not in INLINE_STATEMENTS:
            return None  # PRAGMA, BEGIN, SAVEPOINT…: rare, and the thread sets them right
        self._set_busy(0)
        try:
            return run()
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                return None
            raise

    def _set_busy(self, ms: int) -> None:
        if self._busy_ms != ms:
            self._conn.execute(f"PRAGMA busy_timeout={int(ms)}")
            self._busy_ms = ms


def _locked(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED, extended codes included."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "locked" in str(exc)
    return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def fast_creator(
    path: Path, busy_timeout_ms: int, *, checkpoints_elsewhere: bool = False
) -> Callable[[], Awaitable[FastConnection]] | None:
    """`async_creator` for create_async_engine: the file's connections, as SQLAlchemy's
    aiosqlite dialect opens them (check_same_thread off, sqlite3's default transactions)."""
    if not hasattr(aiosqlite.Connection, "_execute"):
        return None

    async def connect() -> FastConnection:
        connector = partial(sqlite3.connect, str(path), check_same_thread=False)
        connection = FastConnection(connector, 64)
        connection.patience_ms = busy_timeout_ms
        connection.checkpoints_elsewhere = checkpoints_elsewhere
        await connection  # starts the thread and opens the file
        return connection

    return connect
