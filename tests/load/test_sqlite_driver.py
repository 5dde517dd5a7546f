"""The one-trip SQLite driver (storage/sqlite_driver.py) answers exactly as the stock one,
runs statements on the loop's thread, and waits for locks on the database thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

import storage.db as db_module
from storage.db import SQLITE_BUSY_TIMEOUT_MS, Database
from storage.migrate import upgrade_database
from storage.sqlite_driver import FastConnection
from storage.tables import user_prefs
from tests.conftest import migrated_database


async def _driver(conn: AsyncConnection) -> FastConnection:
    raw = (await conn.get_raw_connection()).driver_connection
    assert isinstance(raw, FastConnection)
    return raw


def _count_trips(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """From now on, every trip to the database thread is listed in the returned list."""
    trips: list[object] = []
    original = FastConnection.on_thread

    def counted(self: FastConnection, fn: Callable[[], Any]) -> Awaitable[Any]:
        trips.append(fn)
        return original(self, fn)

    monkeypatch.setattr(FastConnection, "on_thread", counted)
    return trips


async def _user_ids(database: Database) -> list[int]:
    async with database.read() as conn:
        return list((await conn.execute(select(user_prefs.c.tg_user_id))).scalars().all())


@asynccontextmanager
async def _another_writer_holds_the_lock(database: Database) -> AsyncIterator[None]:
    """Inside the block, another writer's transaction (it inserted user 1) is open; on
    leaving, it commits and is waited for."""
    holding, release = asyncio.Event(), asyncio.Event()

    async def first_writer() -> None:
        async with database.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=1, language="vi"))
            holding.set()
            await release.wait()

    first = asyncio.create_task(first_writer())
    await holding.wait()
    try:
        yield
    finally:
        release.set()
    await asyncio.wait_for(first, timeout=10)


async def _story(database: Database) -> list[object]:
    """Inserts, a bulk insert, an update, reads, a failed insert rolled back."""
    seen: list[object] = []
    async with database.transaction() as conn:
        result = await conn.execute(insert(user_prefs).values(tg_user_id=1, language="vi"))
        seen.append(tuple(result.inserted_primary_key or ()))
        await conn.execute(insert(user_prefs), [{"tg_user_id": n, "language": "en"}
                                                for n in (2, 3, 4)])
        changed = await conn.execute(
            update(user_prefs).where(user_prefs.c.language == "en").values(language="vi"))
        seen.append(changed.rowcount)
    with pytest.raises(IntegrityError):
        async with database.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=5))
            await conn.execute(insert(user_prefs).values(tg_user_id=1))  # duplicate key
    async with database.read() as conn:
        query = select(user_prefs.c.tg_user_id, user_prefs.c.language).where(
            user_prefs.c.tg_user_id >= bindparam("low")).order_by(user_prefs.c.tg_user_id)
        seen.append([tuple(r) for r in await conn.execute(query, {"low": 2})])
        seen.append((await conn.execute(text("select count(*) from user_prefs"))).scalar_one())
        seen.append((await conn.execute(text("PRAGMA journal_mode"))).scalar_one())
        seen.append((await conn.execute(text("PRAGMA foreign_keys"))).scalar_one())
    return seen


async def test_same_answers_as_the_stock_driver(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    async with migrated_database(tmp_path, "fast") as fast:
        async with fast.read() as conn:
            await _driver(conn)  # the one-trip driver is the one in use
        fast_story = await _story(fast)
    monkeypatch.setattr(db_module, "fast_creator", lambda path, busy_timeout_ms, **_: None)
    async with migrated_database(tmp_path, "stock") as stock:
        stock_story = await _story(stock)
    assert fast_story == stock_story
    assert fast_story[-2:] == ["wal", 1]
    assert fast_story[-3] == 4  # the failed transaction left nothing behind


async def test_reads_and_empty_transactions_end_without_a_trip(db: Database) -> None:
    async with db.read() as conn:
        await conn.execute(select(user_prefs))
        raw = await _driver(conn)
        assert not raw.raw.in_transaction  # nothing to roll back when it goes back
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=7))
        raw = await _driver(conn)
        assert raw.raw.in_transaction  # a write opened one: commit really commits
    async with db.read() as conn:
        assert (await conn.execute(select(user_prefs.c.tg_user_id))).scalars().all() == [7]


async def test_statements_run_on_the_loop_thread_without_a_trip(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips = _count_trips(monkeypatch)
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=8, language="en"))
        await conn.execute(select(user_prefs))
        await conn.execute(update(user_prefs).values(language="vi"))
        await conn.execute(text("WITH x AS (SELECT 1 AS one) SELECT one FROM x"))
        assert trips == []
    assert len(trips) == 1  # the COMMIT, which always goes to the thread
    async with db.read() as conn:
        assert (await conn.execute(select(user_prefs.c.language))).scalar_one() == "vi"


async def test_a_locked_database_is_waited_for_on_the_thread_not_on_the_loop(
    db: Database,
) -> None:
    """A writer finding another writer's transaction open waits on the database thread
    (busy timeout restored), while the event loop goes on, and then succeeds."""
    async def second_writer() -> None:
        async with db.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=2, language="en"))
            driver = await _driver(conn)
            assert driver._busy_ms == SQLITE_BUSY_TIMEOUT_MS  # it went to the thread

    async with _another_writer_holds_the_lock(db):
        second = asyncio.create_task(second_writer())
        ticks = 0
        for _ in range(20):  # the loop stays free while the second writer waits
            await asyncio.sleep(0.01)
            ticks += 1
        assert not second.done() and ticks == 20
    await asyncio.wait_for(second, timeout=10)
    rows = await _user_ids(db)
    assert sorted(rows) == [1, 2]


async def test_a_bulk_insert_waits_for_a_lock_too(db: Database) -> None:
    """executemany before the transaction has written runs on the database thread: with
    the busy timeout restored there, even after statements on the loop's thread set it to
    zero."""
    async def bulk_writer() -> None:
        async with db.transaction() as conn:
            await conn.execute(select(user_prefs))  # on the loop's thread: timeout 0
            await conn.execute(insert(user_prefs), [{"tg_user_id": n, "language": "en"}
                                                    for n in (2, 3, 4)])

    async with _another_writer_holds_the_lock(db):
        bulk = asyncio.create_task(bulk_writer())
        await asyncio.sleep(0.2)
        assert not bulk.done()  # waiting for the lock, not failed with "database is locked"
    await asyncio.wait_for(bulk, timeout=10)
    rows = await _user_ids(db)
    assert sorted(rows) == [1, 2, 3, 4]


async def test_a_bulk_insert_after_a_write_stays_on_the_loop_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the transaction has written it holds the write lock: executemany (a typed
    value's upserts and audit rows) runs right here, every row once."""
    trips = _count_trips(monkeypatch)
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=1, language="vi"))
        await conn.execute(insert(user_prefs), [{"tg_user_id": n, "language": "en"}
                                                for n in (2, 3, 4)])
        assert trips == []
    assert sorted(await _user_ids(db)) == [1, 2, 3, 4]


async def test_errors_other_than_a_lock_are_raised_at_once(db: Database) -> None:
    with pytest.raises(OperationalError, match="no such table"):
        async with db.read() as conn:
            await conn.execute(text("select * from no_such_table"))


async def _pragma(database: Database, name: str) -> int:
    async with database.read() as conn:
        return int((await conn.execute(text(f"PRAGMA {name}"))).scalar_one())


async def test_background_checkpoints_leave_commits_alone_and_copy_on_demand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's database (storage.db, background_checkpoints): no commit checkpoints, even
    past SQLite's 1,000 pages, and commits cost no trip to the thread; checkpoint() then
    copies every frame (nothing reads meanwhile)."""
    bot_db = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db", background_checkpoints=True)
    try:
        await upgrade_database(bot_db)
        assert await _pragma(bot_db, "wal_autocheckpoint") == 0
        trips = _count_trips(monkeypatch)
        for first in range(0, 6000, 1000):  # ~1,600 pages of rows and index entries
            async with bot_db.transaction() as conn:
                await conn.execute(insert(user_prefs), [
                    {"tg_user_id": n, "language": "vi" * 500} for n in range(first, first + 1000)
                ])
        trips.clear()
        async with bot_db.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=10**6, language="en"))
        assert trips == []  # the COMMIT ran on the loop's thread
        busy, frames, copied = await _checkpoint_of(bot_db)
        assert frames > 1000 and (busy, copied) == (0, frames)  # all there, none copied before
        assert len(trips) == 1  # the checkpoint itself went to the database thread
        async with bot_db.read() as conn:
            count = (await conn.execute(text("select count(*) from user_prefs"))).scalar_one()
        assert count == 6001
    finally:
        await bot_db.close()


async def _checkpoint_of(database: Database) -> tuple[int, int, int]:
    found = await database.checkpoint()
    assert found is not None
    return found


async def test_other_databases_checkpoint_as_sqlite_does(db: Database) -> None:
    """The CLI, tests and tools keep SQLite's automatic checkpoints (no job runs there)."""
    assert await _pragma(db, "wal_autocheckpoint") == 1000
    assert await db.checkpoint() is None


async def test_reads_and_transactions_give_their_connection_back(db: Database) -> None:
    """storage.db's own context managers: a transaction commits, or rolls back on an
    error, and every connection goes back to the pool, whichever way the block ends."""
    pool = db.engine.sync_engine.pool

    def idle() -> int:
        return pool.checkedin()  # type: ignore[attr-defined]

    async with db.read() as conn:
        await conn.execute(select(user_prefs))
    resting = idle()
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=1, language="vi"))
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=2, language="en"))
            raise RuntimeError("the use case failed")
    with pytest.raises(LookupError):
        async with db.read() as conn:
            raise LookupError("not found")
    def language_of(conn: Connection, tg_user_id: int) -> str | None:
        return conn.execute(select(user_prefs.c.language).where(
            user_prefs.c.tg_user_id == tg_user_id)).scalar_one_or_none()

    def failing(conn: Connection) -> None:
        raise LookupError("not found")

    assert await db.read_in_one(language_of, 1) == "vi"  # one hop: connect, read, close
    with pytest.raises(LookupError):
        await db.read_in_one(failing)
    assert idle() == resting  # nothing kept checked out
    assert await _user_ids(db) == [1]  # the failed one rolled back
