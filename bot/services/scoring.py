"""The scoring rules of the block's table, as pure functions (no database, no Telegram).

Reports, ranking, charts and the Excel export all score through this module, so a figure
shown anywhere is computed one way:

- score:          the unit's own points, 0..max_points
- number/percent: max_points x min(value / target, 1); target = the unit's own, else the
                  criterion's
- yesno:          max_points for yes, 0 for no
- text:           0 unless the chair gives points on appraisal (up to max_points)
- bonus criteria add on top of the base table, penalty criteria subtract
- the chair's appraised points replace the self-assessed ones wherever set
- a phase total is base + bonus - penalty rounded to 2 decimals (half up, as officials
  round by hand); the year total is the weighted sum of rounded phase totals, weight 1
  for every phase unless `[block] phase_weights` says otherwise (0.5/0.5 gives the mean).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from storage.records import Criterion

YES = "yes"
NO = "no"
MEASURED_KINDS = ("number", "percent")
POINTS_QUANTUM = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def round_points(value: Decimal) -> Decimal:
    return value.quantize(POINTS_QUANTUM, rounding=ROUND_HALF_UP)


def is_optional(criterion: Criterion) -> bool:
    """Bonus and penalty lines are declared only when there is something to declare; an
    empty one counts as 0 and does not block submission."""
    return criterion.bonus or criterion.penalty


def scored(criterion: Criterion) -> bool:
    """False for a criterion of the table worth 0 points ("không tính điểm"): it is
    reported for the record and has no points to give, appraise or export."""
    return criterion.max_points > 0


def effective_target(criterion: Criterion, unit_target: Decimal | None = None) -> Decimal | None:
    """The unit's own target when it registered one, else the criterion's."""
    if unit_target is not None and unit_target > 0:
        return unit_target
    return criterion.target


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def points_for(
    criterion: Criterion, value: str | None, unit_target: Decimal | None = None
) -> Decimal | None:
    """Self-assessed points of a stored value (canonical text); None when there is none."""
    if value is None:
        return None
    kind = criterion.kind
    if kind == "yesno":
        return criterion.max_points if value == YES else ZERO
    if kind == "text":
        return ZERO
    number = _decimal(value)
    if number is None:
        return ZERO
    if kind == "score":
        return min(max(number, ZERO), criterion.max_points)
    if kind in MEASURED_KINDS:
        target = effective_target(criterion, unit_target)
        if target is None or target <= 0:
            # Nothing to reach (a target of 0): any report meets it.
            return criterion.max_points
        ratio = min(max(number, ZERO) / target, ONE)
        return criterion.max_points * ratio
    return ZERO


def progress_percent(
    criterion: Criterion, value: str | None, unit_target: Decimal | None = None
) -> Decimal | None:
    """How much of the target a number/percent value reaches, in percent (may pass 100)."""
    if criterion.kind not in MEASURED_KINDS or value is None:
        return None
    number = _decimal(value)
    target = effective_target(criterion, unit_target)
    if number is None or target is None or target <= 0:
        return None
    return round_points(number / target * HUNDRED)


def appraisal_limit(criterion: Criterion) -> Decimal:
    """The most the chair may give (text criteria too: their max_points)."""
    return criterion.max_points


class HasPoints(Protocol):
    @property
    def self_points(self) -> Decimal | None: ...

    @property
    def appraised_points(self) -> Decimal | None: ...


@dataclass(frozen=True)
class CriterionScore:
    criterion: Criterion
    self_points: Decimal | None
    appraised_points: Decimal | None

    @property
    def appraised(self) -> bool:
        return self.appraised_points is not None

    @property
    def points(self) -> Decimal:
        """What counts: the chair's points where set, else the unit's, else 0."""
        if self.appraised_points is not None:
            return self.appraised_points
        return self.self_points if self.self_points is not None else ZERO


@dataclass(frozen=True)
class PhaseScore:
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    self_total: Decimal
    provisional: bool
    criteria: tuple[CriterionScore, ...]

    def by_group(self) -> dict[str, Decimal]:
        """Points of the base table per criterion group, in table order (for stacked bars)."""
        groups: dict[str, Decimal] = {}
        for item in self.criteria:
            c = item.criterion
            if c.bonus or c.penalty:
                continue
            key = c.group_name or ""
            groups[key] = groups.get(key, ZERO) + item.points
        return groups


def _sum_parts(items: Iterable[tuple[Criterion, Decimal]]) -> tuple[Decimal, Decimal, Decimal]:
    base = bonus = penalty = ZERO
    for criterion, points in items:
        if criterion.penalty:
            penalty += points
        elif criterion.bonus:
            bonus += points
        else:
            base += points
    return base, bonus, penalty


def phase_score(
    criteria: Sequence[Criterion], values: Mapping[int, HasPoints], *, final: bool
) -> PhaseScore:
    """A unit's score in one phase. `values` is keyed by criterion id (missing = nothing
    reported); `final` is True once the report is appraised or the phase review is done."""
    scored = tuple(
        CriterionScore(
            criterion=c,
            self_points=values[c.id].self_points if c.id in values else None,
            appraised_points=values[c.id].appraised_points if c.id in values else None,
        )
        for c in criteria
    )
    base, bonus, penalty = _sum_parts((s.criterion, s.points) for s in scored)
    s_base, s_bonus, s_penalty = _sum_parts(
        (s.criterion, s.self_points or ZERO) for s in scored
    )
    return PhaseScore(
        base=round_points(base),
        bonus=round_points(bonus),
        penalty=round_points(penalty),
        total=round_points(base + bonus - penalty),
        self_total=round_points(s_base + s_bonus - s_penalty),
        provisional=not final,
        criteria=scored,
    )


def max_base(criteria: Iterable[Criterion]) -> Decimal:
    """The full marks of the base table (100 in most blocks)."""
    return sum((c.max_points for c in criteria if not (c.bonus or c.penalty)), ZERO)


def max_total(criteria: Iterable[Criterion]) -> Decimal:
    """The most a unit can reach in a phase: base table plus every bonus."""
    return sum((c.max_points for c in criteria if not c.penalty), ZERO)


def phase_weights(settings: Mapping[str, Any]) -> dict[str, Decimal]:
    """`[block] phase_weights` from blocks.settings (stored as text), by phase code."""
    raw = settings.get("phase_weights") or {}
    weights: dict[str, Decimal] = {}
    for code, value in raw.items():
        number = _decimal(str(value))
        if number is not None and number >= 0:
            weights[str(code)] = number
    return weights


@dataclass(frozen=True)
class YearScore:
    total: Decimal
    provisional: bool
    phases: Mapping[str, PhaseScore]


def year_score(
    phase_scores: Mapping[str, PhaseScore], weights: Mapping[str, Decimal] | None = None
) -> YearScore:
    """Weighted sum of the (rounded) phase totals, keyed by phase code; weight 1 by default."""
    weights = weights or {}
    total = sum(
        (weights.get(code, ONE) * score.total for code, score in phase_scores.items()), ZERO
    )
    return YearScore(
        total=round_points(total),
        provisional=any(s.provisional for s in phase_scores.values()),
        phases=dict(phase_scores),
    )
