"""`/binhxet verify CODE`: was this ballot counted, and with which choices.

Anyone may ask (the ballots are published with the results); nothing about the question
is recorded or logged, since the one asking is most likely the unit that cast it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.services.awards import tokens
from bot.services.awards.state import VoteState, load_state
from storage import awards as repo
from storage.awards.records import Ballot
from storage.db import Database
from storage.records import Block


class Verified(Enum):
    COUNTED = "counted"
    PENDING = "pending"  # cast, the vote not counted yet: its content waits for the results
    NOT_FOUND = "not-found"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class VerifyResult:
    outcome: Verified
    state: VoteState | None = None
    ballot: Ballot | None = None
    chosen: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (award name, unit names)


async def verify(db: Database, block: Block, typed: str) -> VerifyResult:
    tracker = tokens.normalised(typed)
    if tracker is None:
        return VerifyResult(Verified.UNREADABLE)
    async with db.read() as conn:
        rounds = await repo.block_rounds(conn, block.id)
        found = await repo.find_ballot(conn, [r.id for r in rounds], tracker)
        if found is None or not found[1].cast:
            return VerifyResult(Verified.NOT_FOUND)
        round_id, ballot = found
        rnd = next(r for r in rounds if r.id == round_id)
        state = await load_state(conn, rnd)
    if rnd.state != "closed":
        return VerifyResult(Verified.PENDING, state)
    layout = state.layout
    chosen = tuple((a.award.name, tuple(state.name(a.units[p])
                                        for p in layout.chosen(ballot.choices, i)))
                   for i, a in enumerate(layout.awards))
    return VerifyResult(Verified.COUNTED, state, ballot, chosen)
