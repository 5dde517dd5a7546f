"""Each update handled once: a webhook delivery whose update_id was taken in before is a
redelivery (Telegram retries when our answer did not reach it), and is skipped.

The record lives in the database (storage.handled_updates), so it holds across restarts
and for several instances behind one webhook.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.clock import Clock
from storage.db import Database
from storage.handled_updates import claim_update, forget_updates_before

# How long an update_id is remembered. Telegram keeps an undelivered update for 24 hours at
# most (Bot API, getUpdates), and after a week without updates it may start update_ids
# afresh: two days lies safely between.
HANDLED_UPDATES_KEPT = timedelta(days=2)


async def first_delivery(db: Database, clock: Clock, update_id: int) -> bool:
    """Record `update_id` as handled; False when it was handled before (a redelivery)."""
    now = clock.now()
    async with db.transaction() as conn:
        new = await claim_update(conn, update_id, now)
        if new:
            await forget_updates_before(conn, now - HANDLED_UPDATES_KEPT)
    return new
