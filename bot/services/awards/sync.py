"""Keeping the group's counter true when its first post went out after votes came in."""

from __future__ import annotations

import re

from bot.services.awards import notices
from bot.services.awards.state import load_state
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import awards as repo
from storage.db import Database

_POST = re.compile(r"^awards:([0-9]{1,18}):group:[0-9]{1,9}$")


async def counter_after_delivery(db: Database, clock: Clock, texts: Catalog, batch: str,
                                 dedupe_key: str) -> bool:
    """The counter's post of `batch` was delivered: edit it to the count now if that is no
    longer 0 (or the vote has closed); True when an edit was queued."""
    match = _POST.match(batch)
    if match is None or not dedupe_key.endswith(":post"):
        return False
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, int(match[1]))
        if rnd is None or batch != f"{notices.BATCH}{rnd.id}:group:{rnd.opens}":
            return False
        state = await load_state(conn, rnd)
        closed = rnd.state not in ("open",)
        if state.cast == 0 and not closed:
            return False
        return await notices.queue_counter_edit(conn, texts, state, clock.now(),
                                                closed=closed) > 0
