"""What the clock does for a vote: reminders at `remind_before` to the units that have not
voted, then the close at the closing time. Due times come from the database (open rounds'
closing times, the offsets not yet sent), so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.services.awards import notices
from bot.services.awards.closing import close_vote, finish_all
from bot.services.awards.state import load_state
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import awards as repo
from storage.awards.records import Round
from storage.db import Database


def offset(text: str) -> timedelta:
    """"30m" -> 30 minutes, "2h" -> 2 hours (validated by the block file reader)."""
    amount = int(text[:-1])
    return timedelta(hours=amount) if text.endswith("h") else timedelta(minutes=amount)


def _offsets(rnd: Round) -> list[str]:
    review = rnd.rules.get("remind_before") or []
    return [o for o in review if o not in (rnd.reminded or [])]


def due_times(rnd: Round) -> list[datetime]:
    if rnd.closes_at is None:
        return []
    return [rnd.closes_at - offset(o) for o in _offsets(rnd)] + [rnd.closes_at]


async def next_due(db: Database, after: datetime | None) -> datetime | None:
    """The earliest reminder or closing of an open vote (strictly after `after`)."""
    async with db.read() as conn:
        rounds = await repo.rounds_in(conn, ("open",))
    times = [t for rnd in rounds for t in due_times(rnd) if after is None or t > after]
    return min(times, default=None)


async def send_due(db: Database, clock: Clock, texts: Catalog, charts: Path) -> int:
    """Send the reminders that are due and close the votes whose time has come; returns
    how many things were done (reminder rounds and closes)."""
    done = await finish_all(db, clock, texts, charts)
    now = clock.now()
    async with db.read() as conn:
        rounds = await repo.rounds_in(conn, ("open",))
    for rnd in rounds:
        if rnd.closes_at is None:
            continue
        if now >= rnd.closes_at:
            await close_vote(db, clock, texts, round_id=rnd.id, by=None, charts=charts)
            done += 1
            continue
        due = [o for o in _offsets(rnd) if now >= rnd.closes_at - offset(o)]
        if due:
            done += await _remind(db, clock, texts, rnd, due)
    return done


async def _remind(db: Database, clock: Clock, texts: Catalog, rnd: Round, due: list[str]
                  ) -> int:
    """One reminder for all offsets passed at once (a bot down for an hour does not send
    three in a row), to the units that have not voted, claimed with the round's row."""
    now = clock.now()
    async with db.transaction() as conn:
        reminded = list(rnd.reminded or []) + due
        if not await repo.update_round(conn, rnd.id, states=("open",), reminded=reminded):
            return 0
        fresh = await repo.get_round(conn, rnd.id)
        assert fresh is not None
        state = await load_state(conn, fresh)
        await notices.queue_invites(conn, texts, state, state.not_voted(), now,
                                    key="awards-reminder", tag=f"remind-{due[-1]}")
    return 1
