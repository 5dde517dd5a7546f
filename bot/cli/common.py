"""What every database subcommand does around its work: read settings, open, migrate, close."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.cli.voice import error, follow_block, say
from bot.config import Settings, load_settings
from storage import blocks as blocks_repo
from storage.db import Database
from storage.migrate import upgrade_database
from storage.records import Block

EXIT_INVALID = 2


def with_database(
    work: Callable[[Database], Awaitable[int]], *, settings: Settings | None = None
) -> int:
    """Run `work` on the configured, fully migrated database and always close it.

    Pass `settings` when the command has already read them, so they are not read twice."""
    url = (settings if settings is not None else load_settings()).database_url

    async def go() -> int:
        db = Database(url)
        try:
            await upgrade_database(db)
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(go())


def with_block(code: str, work: Callable[[Database, Block], Awaitable[int]]) -> int:
    """`with_database`, then `work` on the block with this code (an error if there is none),
    speaking the block's language from then on."""

    async def go(db: Database) -> int:
        async with db.read() as conn:
            block = await blocks_repo.get_block_by_code(conn, code)
        if block is None:
            error(say("cli-no-block", code=code))
            return EXIT_INVALID
        follow_block(block.language)
        return await work(db, block)

    return with_database(go)
