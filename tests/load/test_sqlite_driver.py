"""The one-trip SQLite driver (storage/sqlite_driver.py) answers exactly as the stock one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError

import storage.db as db_module
from storage.db import Database
from storage.migrate import upgrade_database
from storage.sqlite_driver import FastConnection
from storage.tables import user_prefs


async def _fresh(tmp_path: Path, name: str) -> Database:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/{name}.db")
    await upgrade_database(database)
    return database


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
    fast = await _fresh(tmp_path, "fast")
    try:
        async with fast.read() as conn:
            raw = await conn.get_raw_connection()
            assert isinstance(raw.driver_connection, FastConnection)
        fast_story = await _story(fast)
    finally:
        await fast.close()
    monkeypatch.setattr(db_module, "fast_creator", lambda path: None)
    stock = await _fresh(tmp_path, "stock")
    try:
        stock_story = await _story(stock)
    finally:
        await stock.close()
    assert fast_story == stock_story
    assert fast_story[-2:] == ["wal", 1]
    assert fast_story[-3] == 4  # the failed transaction left nothing behind


async def test_reads_and_empty_transactions_end_without_a_trip(db: Database) -> None:
    async with db.read() as conn:
        await conn.execute(select(user_prefs))
        raw = (await conn.get_raw_connection()).driver_connection
        assert isinstance(raw, FastConnection)
        assert not raw.raw.in_transaction  # nothing to roll back when it goes back
    async with db.transaction() as conn:
        await conn.execute(insert(user_prefs).values(tg_user_id=7))
        raw = (await conn.get_raw_connection()).driver_connection
        assert isinstance(raw, FastConnection)
        assert raw.raw.in_transaction  # a write opened one: commit really commits
    async with db.read() as conn:
        assert (await conn.execute(select(user_prefs.c.tg_user_id))).scalars().all() == [7]
