"""Apply Alembic migrations from inside the running program (start-up and `db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _upgrade(connection: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    # "heads": feature migrations branch from the foundation, each feature owning its own.
    command.upgrade(cfg, "heads")


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def upgrade_database(db: Database) -> list[str]:
    """Bring the schema to the newest revision; returns the revisions now applied."""
    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade)
    return await current_revisions(db)


async def current_revisions(db: Database) -> list[str]:
    """The revisions the schema is at, sorted (without migrating anything)."""
    async with db.engine.connect() as conn:
        return sorted(await conn.run_sync(_current))


def newest_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())
