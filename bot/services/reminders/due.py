"""Send what is due: every reminder row whose time has come, claimed with its messages in
one transaction; the "ranking" round asks for the group's ranking post the same way, and
the posts are drawn after the claims committed, so no write transaction waits on a chart.

The one entry point of the bot's wake-up (bot.wakeup), of the chair's /remind and of the
demo: whoever calls it wakes the outbox when it returns more than 0. next_due says when to
call it next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.clock import Clock
from bot.services.digest.chair import send_due_digests
from bot.services.ranking.posts import deliver_pending, request_ranking_post
from bot.services.reminders.plan import RANKING_KIND
from bot.services.reminders.rounds import Round, fire_due
from bot.services.reminders.snooze import send_due_snoozes
from bot.services.reminders.texts import enqueue_round
from bot.texts import Catalog
from storage import reminders as reminders_repo
from storage.db import Database


async def send_due(db: Database, clock: Clock, texts: Catalog, *, charts: Path,
                   queued: Callable[[], object] | None = None) -> int:
    """Fire every due row (of every block), snoozed reminder and chair's digest; returns
    how many rounds and messages went out (more than 0: wake the outbox).

    charts: the folder where a ranking post's picture is written for the outbox.
    queued: called when the rounds' messages are committed and a ranking post is still to
    be drawn (a chart takes a second or so): wake the outbox there, so the other rounds due
    at the same time do not wait for the picture.
    """

    async def render(conn: AsyncConnection, rnd: Round) -> int:
        if rnd.kind == RANKING_KIND:
            return await request_ranking_post(conn, rnd)
        return await enqueue_round(conn, texts, rnd)

    fired = await fire_due(db, clock, render)
    # Snoozed reminders and the chairs' digests due by now go with the rounds.
    others = await send_due_snoozes(db, clock, texts) + await send_due_digests(db, clock, texts)
    if any(rnd.kind == RANKING_KIND for rnd in fired):
        if queued is not None and (len(fired) > 1 or others):
            queued()
        await deliver_pending(db, clock, charts=charts)
    return len(fired) + others


async def next_due(db: Database, after: datetime | None = None) -> datetime | None:
    """When the earliest planned row, snooze or digest (of any block) is due, strictly
    after `after` if given; None when nothing is planned."""
    async with db.read() as conn:
        return await reminders_repo.next_due_at(conn, after)
