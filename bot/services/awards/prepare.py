"""The chair prepares a vote: candidates from the year's ranking, edits with a reason,
the closing time. Nothing is sent before the vote opens (bot.services.awards.opening)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from bot.services.awards.settings import rules_from
from bot.services.awards.state import MAIN, VoteState, current_round, load_state
from bot.services.clock import Clock
from bot.services.ranking.rank import Period, Standing, load_ranking
from storage import audit
from storage import awards as repo
from storage.db import Database
from storage.records import Block

DEFAULT_CLOSING = time(17, 0)  # "17:00 today", the default
MIN_LEAD = timedelta(minutes=5)  # a vote open for less than this is a slip of the finger
MAX_LEAD = timedelta(days=14)
REASON_MAX = 300
_DURATION_RE = re.compile(r"(?:(\d{1,3})\s*h)?\s*(?:(\d{1,4})\s*m)?", re.IGNORECASE)
_CLOCK_RE = re.compile(r"(\d{1,2})[:hg](\d{2})?", re.IGNORECASE)


class Prepared(Enum):
    READY = "ready"
    NO_AWARDS = "no-awards"
    NO_UNITS = "no-units"


@dataclass(frozen=True)
class Preparation:
    outcome: Prepared
    state: VoteState | None = None


def _top(standings: tuple[Standing, ...], top: int | None) -> list[Standing]:
    # Units tied at the N-th rank all make the list: the ranking cannot tell them apart.
    return [s for s in standings if top is None or s.rank <= top]


def default_closing(now: datetime, block: Block) -> datetime | None:
    """17:00 today in the block's time zone, if that is still far enough ahead."""
    local = now.astimezone(block.tz)
    at = datetime.combine(local.date(), DEFAULT_CLOSING, tzinfo=block.tz)
    return at if at - now >= MIN_LEAD * 6 else None


async def prepare(db: Database, clock: Clock, block: Block, actor_tg_id: int) -> Preparation:
    """The block's current vote (whatever its state), or a new one prepared from the year
    ranking: each award's candidates with their year totals, ranks and whether provisional."""
    rules = rules_from(block.settings)
    async with db.read() as conn:
        rnd = await current_round(conn, block)
        if rnd is not None:
            return Preparation(Prepared.READY, await load_state(conn, rnd))
    if not rules.awards:
        return Preparation(Prepared.NO_AWARDS)
    now = clock.now()
    ranking = await load_ranking(db, block, Period(None), now=now)
    if not ranking.standings:
        return Preparation(Prepared.NO_UNITS)
    async with db.transaction() as conn:
        rnd = await current_round(conn, block)  # a second /binhxet at the same moment
        if rnd is None:
            round_id = await repo.create_round(
                conn, block_id=block.id, year=block.year, kind=MAIN, state="draft",
                rules=rules.as_json(), closes_at=default_closing(now, block), created_at=now)
            rows = []
            for award in rules.awards:
                for position, s in enumerate(_top(ranking.standings, award.candidates_top)):
                    rows.append({"round_id": round_id, "award_code": award.code,
                                 "unit_id": s.unit.id, "position": position, "rank": s.rank,
                                 "total": s.total, "provisional": s.provisional,
                                 "active": True, "added_by_chair": False})
            await repo.add_candidates(conn, rows)
            await audit.record(conn, at=now, action="awards.prepared", block_id=block.id,
                               actor_tg_id=actor_tg_id, subject=str(round_id),
                               after={"candidates": {a.code: sum(r["award_code"] == a.code
                                                                 for r in rows)
                                                     for a in rules.awards}})
            rnd = await repo.get_round(conn, round_id)
        assert rnd is not None
        return Preparation(Prepared.READY, await load_state(conn, rnd))


class Edit(Enum):
    DONE = "done"
    NOT_DRAFT = "not-draft"
    UNKNOWN = "unknown"
    NO_REASON = "no-reason"


@dataclass(frozen=True)
class EditResult:
    outcome: Edit
    state: VoteState | None = None
    added: bool = False


async def change_candidate(db: Database, clock: Clock, *, block_id: int, round_id: int,
                           award_index: int, unit_id: int, reason: str, actor_tg_id: int
                           ) -> EditResult:
    """Add the unit to the award's candidates, or take it off, with the chair's reason."""
    reason = " ".join(reason.split())[:REASON_MAX]
    if not reason:
        return EditResult(Edit.NO_REASON)
    now = clock.now()
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.kind != MAIN or rnd.block_id != block_id:
            return EditResult(Edit.UNKNOWN)
        if rnd.state != "draft":
            return EditResult(Edit.NOT_DRAFT, await load_state(conn, rnd))
        state = await load_state(conn, rnd)
        if not 0 <= award_index < len(state.layout.awards) or state.unit(unit_id) is None:
            return EditResult(Edit.UNKNOWN, state)
        award = state.layout.awards[award_index].award
        every = await repo.candidates(conn, round_id, active_only=False)
        row = next((c for c in every if c.award_code == award.code and c.unit_id == unit_id),
                   None)
        added = row is None or not row.active
        if row is None:
            await repo.add_candidates(conn, [{
                "round_id": round_id, "award_code": award.code, "unit_id": unit_id,
                "position": 1 + max((c.position for c in every if c.award_code == award.code),
                                    default=-1),
                "rank": None, "total": None, "provisional": False, "active": True,
                "added_by_chair": True}])
        else:
            await repo.set_candidate(conn, row.id, active=added)
        await audit.record(
            conn, at=now, block_id=rnd.block_id, actor_tg_id=actor_tg_id,
            action="awards.candidate-added" if added else "awards.candidate-removed",
            subject=f"{award.code}:{state.code(unit_id)}", after={"reason": reason})
        return EditResult(Edit.DONE, await load_state(conn, rnd), added)


class Closing(Enum):
    SET = "set"
    PAST = "past"
    TOO_FAR = "too-far"
    UNREADABLE = "unreadable"
    NOT_EDITABLE = "not-editable"


def closing_from(spec: str, now: datetime, block: Block) -> datetime | None:
    """A preset ("d90": in 90 minutes; "t1700": 17:00 today) or what the chair typed
    ("17:30", "17h30", "90m", "2h", "1h30m"); None if it cannot be read."""
    text = spec.strip()
    if re.fullmatch(r"d\d{1,4}", text):
        return now + timedelta(minutes=int(text[1:]))
    if re.fullmatch(r"t\d{4}", text):
        text = f"{text[1:3]}:{text[3:]}"
    clock_match = _CLOCK_RE.fullmatch(text)
    # "17:30" and "17h30" are times of day; "2h" alone is a duration, as the prompt says.
    if clock_match and (":" in text or clock_match[2]):
        hour, minute = int(clock_match[1]), int(clock_match[2] or 0)
        if hour > 23 or minute > 59:
            return None
        local = now.astimezone(block.tz)
        return datetime.combine(local.date(), time(hour, minute), tzinfo=block.tz)
    duration = _DURATION_RE.fullmatch(text)
    if duration and (duration[1] or duration[2]):
        return now + timedelta(hours=int(duration[1] or 0), minutes=int(duration[2] or 0))
    return None


async def set_closing(db: Database, clock: Clock, *, block_id: int, round_id: int, spec: str
                      ) -> tuple[Closing, VoteState | None]:
    now = clock.now()
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.block_id != block_id:
            return Closing.NOT_EDITABLE, None
        state = await load_state(conn, rnd)
        if rnd.state not in ("draft", "invalid"):
            return Closing.NOT_EDITABLE, state
        at = closing_from(spec, now, state.block)
        if at is None:
            return Closing.UNREADABLE, state
        if at - now < MIN_LEAD:
            return Closing.PAST, state
        if at - now > MAX_LEAD:
            return Closing.TOO_FAR, state
        await repo.update_round(conn, round_id, states=("draft", "invalid"), closes_at=at)
        rnd = await repo.get_round(conn, round_id)
        assert rnd is not None
        return Closing.SET, await load_state(conn, rnd)


async def drop(db: Database, clock: Clock, *, block_id: int, round_id: int, actor_tg_id: int
               ) -> bool:
    """Forget a prepared vote that never opened (the chair's «Hủy»)."""
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.state != "draft" or rnd.block_id != block_id:
            return False
        await repo.update_round(conn, round_id, states=("draft",), state="dropped")
        await audit.record(conn, at=clock.now(), action="awards.dropped",
                           block_id=rnd.block_id, actor_tg_id=actor_tg_id,
                           subject=str(round_id))
        return True
