"""A round as the services read it: its block, rules, ballot layout and who has voted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.awards.settings import Award, Rules, rules_from
from bot.services.awards.tally import Layout, layout_of
from storage import awards as repo
from storage import blocks as blocks_repo
from storage.awards.records import Candidate, Round, Voted
from storage.records import Block, BlockTree, Unit

MAIN = "main"
RUNOFF = "runoff"


@dataclass(frozen=True)
class VoteState:
    block: Block
    tree: BlockTree
    round: Round
    rules: Rules
    layout: Layout
    candidates: tuple[tuple[Candidate, ...], ...]  # per award of the layout, ballot order
    removed: tuple[Candidate, ...]  # taken off the list by the chair (before opening)
    voted: tuple[Voted, ...]

    @property
    def cast(self) -> int:
        return sum(v.voted for v in self.voted)

    @property
    def electorate(self) -> int:
        return self.round.electorate or len(self.tree.units)

    @property
    def provisional(self) -> bool:
        return any(c.provisional for award in self.candidates for c in award)

    def is_open(self, now: datetime) -> bool:
        closes = self.round.closes_at
        return self.round.state == "open" and closes is not None and now < closes

    def unit(self, unit_id: int) -> Unit | None:
        return self.tree.unit(unit_id)

    def name(self, unit_id: int) -> str:
        unit = self.unit(unit_id)
        return unit.name if unit is not None else f"#{unit_id}"

    def code(self, unit_id: int) -> str:
        unit = self.unit(unit_id)
        return unit.code if unit is not None else f"#{unit_id}"

    def voted_of(self, unit_id: int) -> Voted | None:
        return next((v for v in self.voted if v.unit_id == unit_id), None)

    def not_voted(self) -> list[Unit]:
        done = {v.unit_id for v in self.voted if v.voted}
        electorate = {v.unit_id for v in self.voted} or {u.id for u in self.tree.units}
        return [u for u in self.tree.units if u.id in electorate and u.id not in done]


def round_awards(rnd: Round, rules: Rules) -> tuple[tuple[Award, int, Decimal | None], ...]:
    """(award, seats, threshold) of a round: every award, or a runoff's one without a
    threshold and with the seats left."""
    if rnd.kind == RUNOFF:
        award = next(a for a in rules.awards if a.code == rnd.award_code)
        return ((award, rnd.seats or 1, None),)
    return tuple((a, a.seats, a.threshold) for a in rules.awards)


async def load_state(conn: AsyncConnection, rnd: Round) -> VoteState:
    block = await blocks_repo.get_block(conn, rnd.block_id)
    assert block is not None
    tree = await blocks_repo.load_tree(conn, block)
    rules = rules_from(rnd.rules)
    every = await repo.candidates(conn, rnd.id, active_only=False)
    per_award: list[tuple[Candidate, ...]] = []
    parts: list[tuple[Award, int, Decimal | None, list[int]]] = []
    for award, seats, threshold in round_awards(rnd, rules):
        mine = tuple(c for c in every if c.award_code == award.code and c.active)
        per_award.append(mine)
        parts.append((award, seats, threshold, [c.unit_id for c in mine]))
    return VoteState(
        block=block, tree=tree, round=rnd, rules=rules,
        layout=layout_of(parts),
        candidates=tuple(per_award),
        removed=tuple(c for c in every if not c.active),
        voted=tuple(await repo.voted_rows(conn, rnd.id)),
    )


async def current_round(conn: AsyncConnection, block: Block) -> Round | None:
    """The block's latest round of its year (a runoff after its main round), if any."""
    rounds = [r for r in await repo.block_rounds(conn, block.id)
              if r.year == block.year and r.state != "dropped"]
    return rounds[-1] if rounds else None
