"""What every database subcommand does around its work: read settings, open, migrate, close."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.config import load_settings
from storage.db import Database
from storage.migrate import upgrade_database

EXIT_INVALID = 2


def with_database(work: Callable[[Database], Awaitable[int]]) -> int:
    """Run `work` on the configured, fully migrated database and always close it."""
    settings = load_settings()

    async def go() -> int:
        db = Database(settings.database_url)
        try:
            await upgrade_database(db)
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(go())
