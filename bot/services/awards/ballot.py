"""A representative fills in and casts the unit's ballot.

The draft lives in `awards_drafts` under the hash of its random token and the presser's id
(storage.awards.tables) until it is cast or the vote closes. Casting, in one transaction:
the unit's "has voted" mark is set (only the first of its representatives to confirm
gets it), a randomly chosen unused ballot is filled with the choices, the draft is
deleted; after the commit SQLite's write-ahead log is emptied, so that the pages of this
commit do not stay side by side in it. The receipt (the tracker) goes back to the press
only: it is written nowhere else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.awards import notices, tokens
from bot.services.awards.callbacks import BallotPress
from bot.services.awards.state import VoteState, load_state
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import audit
from storage import awards as repo
from storage import members as members_repo
from storage.awards.records import Voted
from storage.db import Database
from storage.records import Unit

log = logging.getLogger(__name__)


class Ballot(Enum):
    READY = "ready"  # a page of the ballot to show (or the summary, `summary`)
    CAST = "cast"
    NOT_VOTER = "not-voter"  # not a representative of a unit of the electorate
    CLOSED = "closed"  # the vote is over (or not open yet, or a round long gone)
    ALREADY = "already"  # the unit's ballot was cast
    NOT_YOURS = "not-yours"  # a draft of someone else, or gone
    OVER_SEATS = "over-seats"
    SELF_VOTE = "self-vote"
    UNKNOWN = "unknown"  # no such award or candidate on this ballot


@dataclass(frozen=True)
class BallotResult:
    outcome: Ballot
    state: VoteState | None = None
    unit: Unit | None = None
    token: str = ""
    choices: str = ""
    page: int = 0
    summary: bool = False
    voted: Voted | None = None  # ALREADY: who cast it and when
    tracker: str | None = None  # CAST: the receipt
    queued: bool = False


async def _voter(conn: AsyncConnection, state: VoteState, tg_user_id: int) -> Unit | None:
    member = await members_repo.get_membership(conn, state.block.id, tg_user_id)
    if member is None or not member.active:
        return None
    unit = state.unit(member.unit_id)
    if unit is None or state.voted_of(unit.id) is None:
        return None
    return unit


async def _refuse(conn: AsyncConnection, clock: Clock, state: VoteState | None,
                  tg_user_id: int, unit: Unit | None, why: Ballot, kind: str) -> None:
    # The button's kind only: never its token or positions, which would say what was
    # being chosen.
    await audit.record_refusal(
        conn, at=clock.now(), action=f"awards.ballot-{why.value}",
        block_id=state.block.id if state else None, actor_tg_id=tg_user_id,
        actor_unit_id=unit.id if unit else None, subject=f"aw:{kind}")


async def _check(conn: AsyncConnection, clock: Clock, state: VoteState, tg_user_id: int,
                 kind: str) -> tuple[Ballot, Unit | None]:
    unit = await _voter(conn, state, tg_user_id)
    if unit is None:
        why = Ballot.NOT_VOTER
    elif not state.is_open(clock.now()):
        why = Ballot.CLOSED
    else:
        voted = state.voted_of(unit.id)
        if voted is None or not voted.voted:
            return Ballot.READY, unit
        why = Ballot.ALREADY
    if why is not Ballot.ALREADY:
        await _refuse(conn, clock, state, tg_user_id, unit, why, kind)
    return why, unit


async def start(db: Database, clock: Clock, *, round_id: int, tg_user_id: int
                ) -> BallotResult:
    """A new draft of the caller's unit's ballot, blank, at its first page."""
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None:
            return BallotResult(Ballot.CLOSED)
        state = await load_state(conn, rnd)
        outcome, unit = await _check(conn, clock, state, tg_user_id, "b")
        if outcome is not Ballot.READY:
            return BallotResult(outcome, state, unit,
                                voted=state.voted_of(unit.id) if unit else None)
        token = tokens.new_token()
        await repo.put_draft(conn, tokens.draft_key(token, tg_user_id), rnd.id,
                             state.layout.blank())
        return BallotResult(Ballot.READY, state, unit, token, state.layout.blank())


async def press(db: Database, clock: Clock, texts: Catalog, *, press: BallotPress,
                tg_user_id: int, name: str) -> BallotResult:
    """A press on a ballot: mark or unmark a candidate, turn the page, the summary, cast."""
    async with db.transaction() as conn:
        result = await _press(conn, clock, texts, press, tg_user_id, name)
    if result.outcome is Ballot.CAST:
        await seal(db)
    return result


async def seal(db: Database) -> None:
    """Empty the write-ahead log after a cast or a close (storage.awards.truncate_wal)."""
    done = await repo.truncate_wal(db)
    if done is not None and done[0] != 0:
        # Readers kept it busy: the next cast, close or restart empties it.
        log.warning("the database's write-ahead log could not be emptied after a cast")


async def _press(conn: AsyncConnection, clock: Clock, texts: Catalog, press: BallotPress,
                 tg_user_id: int, name: str) -> BallotResult:
    key = tokens.draft_key(press.token, tg_user_id)
    rnd = await repo.get_round(conn, press.round_id)
    if rnd is None:
        return BallotResult(Ballot.CLOSED)
    state = await load_state(conn, rnd)
    outcome, unit = await _check(conn, clock, state, tg_user_id, press.kind)
    draft = await repo.get_draft(conn, key)
    if outcome is Ballot.ALREADY:
        if draft is not None:
            await repo.delete_draft(conn, key)
        assert unit is not None
        if press.kind == "c":
            await _refuse(conn, clock, state, tg_user_id, unit, outcome, press.kind)
        return BallotResult(outcome, state, unit, voted=state.voted_of(unit.id))
    if outcome is not Ballot.READY:
        return BallotResult(outcome, state, unit)
    assert unit is not None
    if draft is None or draft[0] != rnd.id:
        await _refuse(conn, clock, state, tg_user_id, unit, Ballot.NOT_YOURS, press.kind)
        return BallotResult(Ballot.NOT_YOURS, state, unit)
    choices = draft[1]
    mine = BallotResult(Ballot.READY, state, unit, press.token, choices, press.award)
    layout = state.layout
    if press.kind in ("t", "p") and not 0 <= press.award < len(layout.awards):
        await _refuse(conn, clock, state, tg_user_id, unit, Ballot.UNKNOWN, press.kind)
        return BallotResult(Ballot.UNKNOWN, state, unit, press.token, choices)
    if press.kind == "p":
        return mine
    if press.kind == "s":
        return BallotResult(Ballot.READY, state, unit, press.token, choices, summary=True)
    if press.kind == "c":
        return await _cast(conn, texts, clock, state, unit, key, choices, tg_user_id,
                           name)
    award = layout.awards[press.award]
    if not 0 <= press.candidate < len(award.units):
        await _refuse(conn, clock, state, tg_user_id, unit, Ballot.UNKNOWN, press.kind)
        return BallotResult(Ballot.UNKNOWN, state, unit, press.token, choices, press.award)
    chosen = layout.chosen(choices, press.award)
    adding = press.candidate not in chosen
    if adding and award.units[press.candidate] == unit.id and not state.rules.self_vote:
        # Not audited: the refusal itself would say how the unit meant to vote.
        return BallotResult(Ballot.SELF_VOTE, state, unit, press.token, choices,
                            press.award)
    if adding and len(chosen) >= award.seats:
        await _refuse(conn, clock, state, tg_user_id, unit, Ballot.OVER_SEATS, "t")
        return BallotResult(Ballot.OVER_SEATS, state, unit, press.token, choices,
                            press.award)
    choices = layout.toggled(choices, press.award, press.candidate)
    await repo.set_draft(conn, key, choices)
    return BallotResult(Ballot.READY, state, unit, press.token, choices, press.award)


async def _cast(conn: AsyncConnection, texts: Catalog, clock: Clock, state: VoteState,
                unit: Unit, key: str, choices: str, tg_user_id: int, name: str
                ) -> BallotResult:
    now = clock.now()
    rnd = state.round
    if not state.layout.fits(choices):  # a draft of an earlier layout: start again
        await repo.delete_draft(conn, key)
        return BallotResult(Ballot.NOT_YOURS, state, unit)
    if not await repo.mark_voted(conn, rnd.id, unit.id, by=tg_user_id, name=name, at=now):
        await repo.delete_draft(conn, key)
        await _refuse(conn, clock, state, tg_user_id, unit, Ballot.ALREADY, "c")
        voted = next((v for v in await repo.voted_rows(conn, rnd.id) if v.unit_id == unit.id),
                     None)
        return BallotResult(Ballot.ALREADY, state, unit, voted=voted)
    tracker = tokens.pick(await repo.free_slots(conn, rnd.id))
    filled = await repo.fill_slot(conn, rnd.id, tracker, choices)
    assert filled  # the write lock is ours since mark_voted: nobody took it meanwhile
    await repo.delete_draft(conn, key)
    fresh = await load_state(conn, rnd)
    queued = await notices.queue_cast_notice(conn, texts, fresh, unit, tg_user_id, name, now)
    queued += await notices.queue_counter_edit(conn, texts, fresh, now)
    return BallotResult(Ballot.CAST, fresh, unit, choices=choices, tracker=tracker,
                        queued=queued > 0)



async def start_current(db: Database, clock: Clock, *, block_id: int, tg_user_id: int
                        ) -> BallotResult:
    """/binhxet of a representative: a ballot of the block's open vote, if there is one."""
    async with db.read() as conn:
        rounds = [r for r in await repo.rounds_in(conn, ("open",)) if r.block_id == block_id]
    if not rounds:
        return BallotResult(Ballot.CLOSED)
    return await start(db, clock, round_id=rounds[-1].id, tg_user_id=tg_user_id)
