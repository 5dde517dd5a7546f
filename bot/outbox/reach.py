"""A representative marked unreachable (403) who writes to the bot again is reachable."""

from __future__ import annotations

from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.db import Database


async def reachable_again(db: Database, tg_user_id: int) -> bool:
    """Clear the mark after a private message from the person, so their unit gets reminders
    again and a later 403 is reported anew; True if a mark was cleared. A read first: this
    runs for every private update and almost never has anything to write."""
    async with db.read() as conn:
        if not await outbox_repo.marked_unreachable(conn, tg_user_id):
            return False
    async with db.transaction() as conn:
        return await members_repo.mark_unreachable(conn, tg_user_id, None)
