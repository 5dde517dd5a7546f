"""Rankings of a phase or of the year: which period is asked for, and the pure ranking of a
scoreboard (one aggregate query, read by bot.services.scoreboard).

Rules (issue 6): units are ranked by total, highest first; tied units share a rank
(1, 1, 3 …) and are listed by unit code, so the same data always gives the same order,
byte for byte. A standing is provisional ("Tạm tính") while any of its phase scores is not
final (not yet appraised, and the phase's appraisal not declared done). The year total is
the weighted sum of the rounded phase totals (`[block] phase_weights`, weight 1 by default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from bot.services.reports import pick_phase
from bot.services.scoreboard import Scoreboard, load_scoreboard
from bot.services.scoring import ONE, ZERO, PhaseScore, max_total, round_points
from storage.db import Database
from storage.records import Block, BlockTree, Criterion, Phase, Unit

T = TypeVar("T")

YEAR = "year"
# What people may type for the whole year after /ranking.
YEAR_WORDS = frozenset({"year", "nam", "năm", "canam", "cả-năm", "ca-nam", "all"})


@dataclass(frozen=True)
class Period:
    """One phase, or the whole year (phase None)."""

    phase: Phase | None

    @property
    def code(self) -> str:
        return self.phase.code if self.phase is not None else YEAR

    @property
    def is_year(self) -> bool:
        return self.phase is None


def pick_period(tree: BlockTree, now: datetime, arg: str | None = None) -> Period | None:
    """`None` -> the current phase (or the latest started); "year" -> the year; a phase code
    -> that phase. None when there is no such phase (or none has started yet)."""
    if arg is not None and arg.strip().lower() in YEAR_WORDS:
        return Period(None)
    phase = pick_phase(tree, now, arg)
    return Period(phase) if phase is not None else None


def rank_order(
    items: Iterable[T], total: Callable[[T], Decimal], code: Callable[[T], str]
) -> list[tuple[int, T]]:
    """Sort by total (highest first) then code; equal totals share the better rank."""
    ordered = sorted(items, key=lambda item: (-total(item), code(item)))
    ranked: list[tuple[int, T]] = []
    for index, item in enumerate(ordered):
        if ranked and total(ranked[-1][1]) == total(item):
            ranked.append((ranked[-1][0], item))
        else:
            ranked.append((index + 1, item))
    return ranked


@dataclass(frozen=True)
class CriterionPoints:
    """A unit's points on one criterion; for the year, weighted sums over the phases."""

    self_points: Decimal | None  # what the unit gave itself (None: nothing reported)
    appraised_points: Decimal | None  # the chair's, in a phase; always None for the year
    points: Decimal  # what counts: appraised where set, else self, else 0


@dataclass(frozen=True)
class Standing:
    unit: Unit
    rank: int
    total: Decimal
    self_total: Decimal
    base: Decimal
    bonus: Decimal
    penalty: Decimal  # positive: the points taken off
    provisional: bool
    late: tuple[str, ...]  # codes of the phases whose report came in after the deadline
    criteria: Mapping[int, CriterionPoints]  # by criterion id
    phase_totals: Mapping[str, Decimal]  # by phase code (one entry for a phase ranking)


@dataclass(frozen=True)
class Ranking:
    tree: BlockTree
    period: Period
    standings: tuple[Standing, ...]  # rank 1 first
    max_points: Decimal  # the most a unit can reach in the period (base + bonus, weighted)
    weights: Mapping[str, Decimal]  # of the phases in the year total (by code)

    @property
    def provisional(self) -> bool:
        return any(s.provisional for s in self.standings)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.tree.criteria

    @property
    def phases(self) -> tuple[Phase, ...]:
        return (self.period.phase,) if self.period.phase is not None else self.tree.phases


def _weighted(values: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    present = [(w, v) for w, v in values if v is not None]
    if not present:
        return None
    return round_points(sum((w * v for w, v in present), ZERO))


def _standing(board: Scoreboard, unit: Unit, phases: Sequence[Phase],
              weights: Mapping[str, Decimal]) -> Standing:
    """A unit's figures over the phases (weights apply to the year only)."""
    results = [board.of(unit.id, p.id) for p in phases]
    weight = {p.code: weights.get(p.code, ONE) for p in phases}
    scores = [(weight[r.phase.code], r.score) for r in results]
    criteria: dict[int, CriterionPoints] = {}
    for index, criterion in enumerate(board.tree.criteria):
        items = [(w, s.criteria[index]) for w, s in scores]
        # The chair's own figure only makes sense for one phase, unweighted.
        single = len(items) == 1 and items[0][0] == ONE
        appraised = items[0][1].appraised_points if single else None
        criteria[criterion.id] = CriterionPoints(
            self_points=_weighted((w, c.self_points) for w, c in items),
            appraised_points=round_points(appraised) if appraised is not None else None,
            points=_weighted((w, c.points) for w, c in items) or ZERO,
        )

    def total_of(part: Callable[[PhaseScore], Decimal]) -> Decimal:
        return round_points(sum((w * part(s) for w, s in scores), ZERO))

    return Standing(
        unit=unit,
        rank=0,
        total=total_of(lambda s: s.total),
        self_total=total_of(lambda s: s.self_total),
        base=total_of(lambda s: s.base),
        bonus=total_of(lambda s: s.bonus),
        penalty=total_of(lambda s: s.penalty),
        provisional=any(s.provisional for _, s in scores),
        late=tuple(r.phase.code for r in results if r.report is not None and r.report.late),
        criteria=criteria,
        phase_totals={r.phase.code: r.score.total for r in results},
    )


def build_ranking(board: Scoreboard, period: Period) -> Ranking:
    """Rank the scoreboard's units for the phase or the year (pure)."""
    tree = board.tree
    phases = (period.phase,) if period.phase is not None else board.phases
    weights = dict(board.weights) if period.is_year else {}
    unranked = [_standing(board, unit, phases, weights) for unit in tree.units]
    ranked = rank_order(unranked, lambda s: s.total, lambda s: s.unit.code)
    standings = tuple(replace(s, rank=rank) for rank, s in ranked)
    weight_sum = sum((weights.get(p.code, ONE) for p in phases), ZERO)
    return Ranking(
        tree=tree,
        period=period,
        standings=standings,
        max_points=round_points(max_total(tree.criteria) * weight_sum),
        weights={p.code: weights.get(p.code, ONE) for p in phases},
    )


async def load_ranking(db: Database, block: Block, period: Period) -> Ranking:
    """The ranking from one aggregate query (one phase's reports, or every phase's)."""
    phase_id = period.phase.id if period.phase is not None else None
    board = await load_scoreboard(db, block, phase_id)
    return build_ranking(board, period)
