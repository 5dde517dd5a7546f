"""The year's vote as the documents and the chair's screens read it: the main round, its
runoffs, each counted, and the final proposal of each award."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.awards.results import FinalAward, final_outcome
from bot.services.awards.state import MAIN, RUNOFF, VoteState, load_state
from bot.services.awards.tally import Tally, count
from storage import awards as repo
from storage.awards.records import Ballot
from storage.db import Database
from storage.records import Block


@dataclass(frozen=True)
class Counted:
    state: VoteState
    tally: Tally
    ballots: tuple[Ballot, ...]


@dataclass(frozen=True)
class VoteRecord:
    main: Counted
    runoffs: tuple[Counted, ...]  # counted and valid, oldest first
    final: tuple[FinalAward, ...]

    @property
    def block(self) -> Block:
        return self.main.state.block


async def counted(db: Database, round_id: int) -> Counted | None:
    async with db.read() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None:
            return None
        state = await load_state(conn, rnd)
        ballots = tuple(await repo.ballots(conn, rnd.id))
    tally = count(state.layout, [b.choices for b in ballots], state.electorate,
                  state.rules.quorum)
    return Counted(state, tally, ballots)


async def vote_record(db: Database, block: Block) -> VoteRecord | None:
    """The block's latest counted main vote of its year and its runoffs; None before."""
    async with db.read() as conn:
        rounds = [r for r in await repo.block_rounds(conn, block.id) if r.year == block.year]
    mains = [r for r in rounds if r.kind == MAIN and r.state == "closed"]
    if not mains:
        return None
    main = await counted(db, mains[-1].id)
    assert main is not None
    runoffs = []
    for rnd in rounds:
        if rnd.kind == RUNOFF and rnd.parent_id == main.state.round.id and rnd.state == "closed":
            found = await counted(db, rnd.id)
            if found is not None and found.tally.valid:
                runoffs.append(found)
    final = final_outcome(main.tally, [(r.state.round.award_code or "", r.tally)
                                       for r in runoffs])
    return VoteRecord(main, tuple(runoffs), tuple(final))


async def chair_view(db: Database, *, block_id: int, round_id: int
                     ) -> tuple[VoteState, Counted | None] | None:
    """A round of the chair's block as the chair's screen shows it (counted once closed)."""
    async with db.read() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.block_id != block_id:
            return None
        state = await load_state(conn, rnd)
    return state, await counted(db, round_id) if rnd.state == "closed" else None
