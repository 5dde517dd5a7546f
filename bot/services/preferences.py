"""What a person chose for themselves: the language the bot speaks to them in (/lang) and,
for someone who represents units in several blocks, the block private commands act on
(/block). Read back on every update by bot.services.access.resolve_caller."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import member_blocks
from bot.texts import LANGUAGES
from storage import prefs as prefs_repo
from storage.db import Database
from storage.records import Block


async def set_language(db: Database, tg_user_id: int, lang: str) -> None:
    """Speak `lang` (one of bot.texts.LANGUAGES) to this person from now on."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    async with db.transaction() as conn:
        await prefs_repo.set_pref(conn, tg_user_id, language=lang)


@dataclass(frozen=True)
class BlockChoice:
    mine: tuple[Block, ...]  # the blocks the person may act on (every block for an admin)
    chosen: Block | None  # the block now current; None when `code` named none of `mine`


async def choose_block(db: Database, tg_user_id: int, code: str, *, is_admin: bool
                       ) -> BlockChoice:
    """Make the block with this code (any case) the person's current one, if it is theirs."""
    mine = tuple(await member_blocks(db, tg_user_id, is_admin=is_admin))
    chosen = next((b for b in mine if b.code.upper() == code.upper()), None)
    if chosen is not None:
        async with db.transaction() as conn:
            await prefs_repo.set_pref(conn, tg_user_id, current_block_id=chosen.id)
    return BlockChoice(mine, chosen)
