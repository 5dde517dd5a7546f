"""Opening a vote (or opening it again when the quorum was not met), and runoffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.services.awards import notices, tokens
from bot.services.awards.prepare import MIN_LEAD
from bot.services.awards.state import RUNOFF, VoteState, load_state
from bot.services.awards.tally import count
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import audit
from storage import awards as repo
from storage.db import Database


class Opened(Enum):
    OPENED = "opened"
    REOPENED = "reopened"
    NO_CLOSING = "no-closing"  # no closing time, or one too close
    NO_CANDIDATES = "no-candidates"
    ANOTHER_OPEN = "another-open"
    NOT_OPENABLE = "not-openable"  # open already, counted, dropped


@dataclass(frozen=True)
class OpenResult:
    outcome: Opened
    state: VoteState | None = None
    queued: bool = False


async def open_vote(db: Database, clock: Clock, texts: Catalog, *, block_id: int,
                    round_id: int, actor_tg_id: int) -> OpenResult:
    """Open a prepared vote, or one the quorum left invalid: the electorate (every unit of
    the block now) and as many unused ballots are written, each representative is invited,
    the group's counter is posted."""
    now = clock.now()
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.block_id != block_id:
            return OpenResult(Opened.NOT_OPENABLE)
        state = await load_state(conn, rnd)
        if rnd.state not in ("draft", "invalid"):
            return OpenResult(Opened.NOT_OPENABLE, state)
        if rnd.closes_at is None or rnd.closes_at - now < MIN_LEAD:
            return OpenResult(Opened.NO_CLOSING, state)
        if any(not award for award in state.candidates):
            return OpenResult(Opened.NO_CANDIDATES, state)
        others = await repo.rounds_in(conn, ("open", "counting"))
        if any(r.block_id == rnd.block_id and r.id != rnd.id for r in others):
            return OpenResult(Opened.ANOTHER_OPEN, state)
        first = rnd.state == "draft"
        changes: dict[str, object] = {"state": "open", "opens": rnd.opens + 1,
                                      "reminded": [], "opened_at": now,
                                      "opened_by": actor_tg_id}
        if first:
            units = [u.id for u in state.tree.units]
            changes["electorate"] = len(units)
            await repo.create_electorate(conn, rnd.id, units)
            # Every ballot of the round exists from now on, unused and alike: a cast only
            # fills one of them (storage.awards.tables).
            await repo.create_slots(conn, rnd.id, tokens.new_trackers(len(units)),
                                    state.layout.blank())
        if not await repo.update_round(conn, rnd.id, states=("draft", "invalid"), **changes):
            return OpenResult(Opened.NOT_OPENABLE, state)
        rnd = await repo.get_round(conn, rnd.id)
        assert rnd is not None
        state = await load_state(conn, rnd)
        queued = await notices.queue_group_post(conn, texts, state, now)
        queued += await notices.queue_invites(conn, texts, state, state.not_voted(), now,
                                              key="awards-invite", tag="invite")
        await audit.record(conn, at=now, block_id=rnd.block_id, actor_tg_id=actor_tg_id,
                           action="awards.opened" if first else "awards.reopened",
                           subject=str(rnd.id),
                           after={"closes_at": rnd.closes_at.isoformat() if rnd.closes_at
                                  else None, "electorate": rnd.electorate,
                                  "kind": rnd.kind, "award": rnd.award_code})
    return OpenResult(Opened.OPENED if first else Opened.REOPENED, state, queued > 0)


class Runoff(Enum):
    PREPARED = "prepared"
    NO_TIE = "no-tie"
    NOT_CLOSED = "not-closed"
    EXISTS = "exists"


@dataclass(frozen=True)
class RunoffResult:
    outcome: Runoff
    state: VoteState | None = None


def _closing_like(source: datetime | None, now: datetime) -> datetime | None:
    return source if source is not None and source > now + MIN_LEAD else None


async def prepare_runoff(db: Database, clock: Clock, *, block_id: int, round_id: int,
                         award_index: int, actor_tg_id: int) -> RunoffResult:
    """A new vote among the units tied at an award's last seat, for the seats left, with
    the same secrecy; the chair then sets its closing time and opens it."""
    now = clock.now()
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.state != "closed" or rnd.block_id != block_id:
            return RunoffResult(Runoff.NOT_CLOSED)
        state = await load_state(conn, rnd)
        ballots = [b.choices for b in await repo.ballots(conn, rnd.id)]
        tally = count(state.layout, ballots, state.electorate, state.rules.quorum)
        if not 0 <= award_index < len(tally.awards) or not tally.awards[award_index].tied:
            return RunoffResult(Runoff.NO_TIE, state)
        result = tally.awards[award_index]
        later = [r for r in await repo.block_rounds(conn, rnd.block_id)
                 if r.id > rnd.id and r.award_code == result.award.code
                 and r.state != "dropped"]
        if later:
            return RunoffResult(Runoff.EXISTS, await load_state(conn, later[-1]))
        new_id = await repo.create_round(
            conn, block_id=rnd.block_id, year=rnd.year, kind=RUNOFF,
            parent_id=rnd.parent_id or rnd.id, award_code=result.award.code,
            seats=result.open_seats, state="draft", rules=rnd.rules,
            closes_at=_closing_like(rnd.closes_at, now), created_at=now)
        old = {c.unit_id: c for c in state.candidates[award_index]}
        await repo.add_candidates(conn, [
            {"round_id": new_id, "award_code": result.award.code, "unit_id": unit_id,
             "position": position, "rank": old[unit_id].rank, "total": old[unit_id].total,
             "provisional": old[unit_id].provisional, "active": True,
             "added_by_chair": False}
            for position, unit_id in enumerate(result.tied)])
        await audit.record(conn, at=now, block_id=rnd.block_id, actor_tg_id=actor_tg_id,
                           action="awards.runoff-prepared", subject=str(new_id),
                           after={"award": result.award.code, "seats": result.open_seats,
                                  "tied": [state.code(u) for u in result.tied]})
        new = await repo.get_round(conn, new_id)
        assert new is not None
        return RunoffResult(Runoff.PREPARED, await load_state(conn, new))
