"""The migrations build exactly the schema the table definitions describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

import storage.schema  # noqa: F401
from storage.db import Database
from storage.migrate import newest_revisions, upgrade_database
from storage.tables import metadata


def _diff(conn: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(conn), metadata))


async def test_migrations_match_tables(db: Database) -> None:
    async with db.read() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def test_upgrade_reaches_every_head(db: Database) -> None:
    assert set(await upgrade_database(db)) == newest_revisions()


async def test_sqlite_is_tuned(db: Database) -> None:
    async with db.read() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
        fk = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    assert (mode, fk) == ("wal", 1)
