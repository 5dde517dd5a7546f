"""Rankings of a phase or of the year: which period is asked for, and the pure ranking of a
scoreboard (one aggregate query, read by bot.services.ranking.scoreboard).

Rules (issue 6): units are ranked by total, highest first; tied units share a rank
(1, 1, 3 …) and are listed by unit code, so the same data always gives the same order,
byte for byte. A standing is provisional ("Tạm tính") while any of its phase scores is not
final (not yet appraised, and the phase's appraisal not declared done). The year total is
the weighted sum of the rounded phase totals (`[block] phase_weights`, weight 1 by default).

A unit that never submitted a report for a phase whose deadline has passed is not ranked
on a silent 0: its standing is `unreported`, it comes after every unit that reported
(sharing the last rank, by code) and the chart, caption and export say "chưa nộp báo cáo"
instead of showing points. It still has a rank because the provincial office's table
ranks every member unit; a unit that reported 0 points is a different fact and ranks
above it. Before the deadline an empty report is simply not in yet (provisional 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from bot.services.ranking.scoreboard import Scoreboard, UnitResult, load_scoreboard
from bot.services.reports.entry import pick_phase
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
    # Codes of the phases past their deadline without a report ever submitted; `unreported`
    # when the unit submitted nothing in the whole period (see the module docstring).
    missing: tuple[str, ...] = ()
    unreported: bool = False


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


def _never_submitted(result: UnitResult) -> bool:
    # A report the chair returned for correction was submitted: the unit is at work on it.
    return result.report is None or result.report.first_submitted_at is None


def _standing(board: Scoreboard, unit: Unit, phases: Sequence[Phase],
              weights: Mapping[str, Decimal], now: datetime | None) -> Standing:
    """A unit's figures over the phases (weights apply to the year only)."""
    results = [board.of(unit.id, p.id) for p in phases]
    missing = () if now is None else tuple(
        r.phase.code for r in results if now > r.phase.report_due and _never_submitted(r))
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
        missing=missing,
        unreported=bool(missing) and all(_never_submitted(r) for r in results),
    )


def build_ranking(board: Scoreboard, period: Period, *, now: datetime | None = None
                  ) -> Ranking:
    """Rank the scoreboard's units for the phase or the year (pure). With `now`, units
    past a deadline without a report are marked and ranked last (module docstring)."""
    tree = board.tree
    phases = (period.phase,) if period.phase is not None else board.phases
    weights = dict(board.weights) if period.is_year else {}
    unranked = [_standing(board, unit, phases, weights, now) for unit in tree.units]
    reported = [s for s in unranked if not s.unreported]
    ranked = rank_order(reported, lambda s: s.total, lambda s: s.unit.code)
    last = len(reported) + 1
    silent = sorted((s for s in unranked if s.unreported), key=lambda s: s.unit.code)
    standings = tuple(replace(s, rank=rank) for rank, s in ranked) + tuple(
        replace(s, rank=last) for s in silent)
    weight_sum = sum((weights.get(p.code, ONE) for p in phases), ZERO)
    return Ranking(
        tree=tree,
        period=period,
        standings=standings,
        max_points=round_points(max_total(tree.criteria) * weight_sum),
        weights={p.code: weights.get(p.code, ONE) for p in phases},
    )


async def load_ranking(
    db: Database, block: Block, period: Period, *, now: datetime | None = None
) -> Ranking:
    """The ranking from one aggregate query (one phase's reports, or every phase's)."""
    phase_id = period.phase.id if period.phase is not None else None
    board = await load_scoreboard(db, block, phase_id)
    return build_ranking(board, period, now=now)
