"""SQLite through SQLAlchemy's aiosqlite dialect (storage/db.py): real transactions, the
PRAGMAs on every connection, writers waiting for each other off the event loop, and the
bot's background WAL checkpoints."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.db import Database
from storage.migrate import upgrade_database
from storage.tables import user_prefs


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


async def test_statements_and_transactions_answer_as_sqlite_does(db: Database) -> None:
    """Inserts, a bulk insert, an update, reads, a failed insert rolled back."""
    async with db.transaction() as conn:
        result = await conn.execute(insert(user_prefs).values(tg_user_id=1, language="vi"))
        assert tuple(result.inserted_primary_key or ()) == (1,)
        await conn.execute(insert(user_prefs), [{"tg_user_id": n, "language": "en"}
                                                for n in (2, 3, 4)])
        changed = await conn.execute(
            update(user_prefs).where(user_prefs.c.language == "en").values(language="vi"))
        assert changed.rowcount == 3
    with pytest.raises(IntegrityError):
        async with db.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=5))
            await conn.execute(insert(user_prefs).values(tg_user_id=1))  # duplicate key
    async with db.read() as conn:
        query = select(user_prefs.c.tg_user_id, user_prefs.c.language).where(
            user_prefs.c.tg_user_id >= bindparam("low")).order_by(user_prefs.c.tg_user_id)
        assert [tuple(r) for r in await conn.execute(query, {"low": 2})] == [
            (2, "vi"), (3, "vi"), (4, "vi")]
        # The failed transaction left nothing behind (user 5 rolled back with it).
        assert (await conn.execute(text("select count(*) from user_prefs"))).scalar_one() == 4
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1


async def test_a_failing_use_case_rolls_back_everything_it_wrote(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=1, language="vi"))
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(insert(user_prefs), [{"tg_user_id": n} for n in (2, 3)])
            await conn.execute(update(user_prefs).values(language="en"))
            assert sorted(await conn.scalars(select(user_prefs.c.tg_user_id))) == [1, 2, 3]
            raise RuntimeError("the use case failed after writing")
    async with db.read() as conn:
        rows = (await conn.execute(select(user_prefs.c.tg_user_id, user_prefs.c.language))).all()
    assert [tuple(r) for r in rows] == [(1, "vi")]


async def test_a_locked_database_is_waited_for_off_the_event_loop(db: Database) -> None:
    """A writer finding another writer's transaction open waits (busy timeout) on its
    connection's thread, while the event loop goes on, and then succeeds."""
    async def second_writer() -> None:
        async with db.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=2, language="en"))

    async with _another_writer_holds_the_lock(db):
        second = asyncio.create_task(second_writer())
        ticks = 0
        for _ in range(20):  # the loop stays free while the second writer waits
            await asyncio.sleep(0.01)
            ticks += 1
        assert not second.done() and ticks == 20
    await asyncio.wait_for(second, timeout=10)
    assert sorted(await _user_ids(db)) == [1, 2]


async def test_a_bulk_insert_waits_for_a_lock_too(db: Database) -> None:
    async def bulk_writer() -> None:
        async with db.transaction() as conn:
            await conn.execute(select(user_prefs))
            await conn.execute(insert(user_prefs), [{"tg_user_id": n, "language": "en"}
                                                    for n in (2, 3, 4)])

    async with _another_writer_holds_the_lock(db):
        bulk = asyncio.create_task(bulk_writer())
        await asyncio.sleep(0.2)
        assert not bulk.done()  # waiting for the lock, not failed with "database is locked"
    await asyncio.wait_for(bulk, timeout=10)
    assert sorted(await _user_ids(db)) == [1, 2, 3, 4]


async def test_concurrent_read_then_write_use_cases_neither_deadlock_nor_fail(
    db: Database,
) -> None:
    """Many use cases at once, each reading before it writes (as the bot's do): the write
    lock is taken by each one's first write, so they queue for it (busy timeout) instead
    of failing with a stale snapshot, and run one after the other from that write on."""
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=1))
    counted = select(func.count()).select_from(user_prefs)
    seen: list[int] = []

    async def use_case(n: int) -> None:
        async with db.transaction() as conn:
            await conn.execute(counted)
            await asyncio.sleep(0)  # let the others read meanwhile
            await conn.execute(insert(user_prefs).values(tg_user_id=100 + n))
            await asyncio.sleep(0)  # hold the lock while others wait for it
            seen.append((await conn.execute(counted)).scalar_one())
            await conn.execute(update(user_prefs).where(user_prefs.c.tg_user_id == 1)
                               .values(language=str(n)))

    await asyncio.wait_for(asyncio.gather(*(use_case(n) for n in range(20))), timeout=30)
    assert sorted(seen) == list(range(2, 22))  # each saw all the ones committed before it
    assert len(await _user_ids(db)) == 21


async def test_errors_other_than_a_lock_are_raised_at_once(db: Database) -> None:
    with pytest.raises(OperationalError, match="no such table"):
        async with db.read() as conn:
            await conn.execute(text("select * from no_such_table"))


async def _pragma(database: Database, name: str) -> int:
    async with database.read() as conn:
        return int((await conn.execute(text(f"PRAGMA {name}"))).scalar_one())


async def test_background_checkpoints_leave_commits_alone_and_copy_on_demand(
    tmp_path: Path,
) -> None:
    """The bot's database (storage.db, background_checkpoints): no commit checkpoints, even
    past SQLite's 1,000 pages; checkpoint() then copies every frame (nothing reads
    meanwhile)."""
    bot_db = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db", background_checkpoints=True)
    try:
        await upgrade_database(bot_db)
        assert await _pragma(bot_db, "wal_autocheckpoint") == 0
        for first in range(0, 6000, 1000):  # ~1,600 pages of rows and index entries
            async with bot_db.transaction() as conn:
                await conn.execute(insert(user_prefs), [
                    {"tg_user_id": n, "language": "vi" * 500} for n in range(first, first + 1000)
                ])
        async with bot_db.transaction() as conn:
            await conn.execute(insert(user_prefs).values(tg_user_id=10**6, language="en"))
        busy, frames, copied = await _checkpoint_of(bot_db)
        assert frames > 1000 and (busy, copied) == (0, frames)  # all there, none copied before
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
    """A transaction commits, or rolls back on an error, and every connection goes back to
    the pool, whichever way the block ends; read_in_one too."""
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

    assert await db.read_in_one(language_of, 1) == "vi"
    with pytest.raises(LookupError):
        await db.read_in_one(failing)
    assert idle() == resting  # nothing kept checked out
    assert await _user_ids(db) == [1]  # the failed one rolled back
