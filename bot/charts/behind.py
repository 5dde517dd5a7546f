"""What the progress chart shows: the units still behind their targets, the most behind
first, and only the targets some unit is behind on. Plain data, no matplotlib.

How far a unit is from its targets: the mean, over every target of the chart, of the share
still missing (100 % less what it reached, nothing when it is past 100 %, all of it when
it has reported nothing). Ties keep the chart's order (the block file's order of units).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from bot.charts.model import ProgressChart, ProgressEntry

GOAL = Decimal(100)


@dataclass(frozen=True)
class Column:
    number: int  # the target's place among the chart's targets (1, 2 …), as in the key
    code: str
    title: str


@dataclass(frozen=True)
class Behind:
    rows: tuple[ProgressEntry, ...]  # units behind on some target, the most behind first
    columns: tuple[Column, ...]  # targets some unit is behind on, in the table's order
    done: tuple[ProgressEntry, ...]  # units that reached every target, in the chart's order


def shortfall(entry: ProgressEntry, codes: list[str]) -> Decimal:
    """The mean share of the targets still missing, in percent (0 = every target met)."""
    if not codes:
        return Decimal(0)
    missing = [GOAL - min(entry.percent_by_criterion.get(code, Decimal(0)), GOAL)
               for code in codes]
    return sum(missing, Decimal(0)) / len(codes)


def has_gap(entry: ProgressEntry, code: str) -> bool:
    percent = entry.percent_by_criterion.get(code)
    return percent is None or percent < GOAL


def behind(chart: ProgressChart) -> Behind:
    codes = [code for code, _ in chart.criteria]
    gaps = [(shortfall(e, codes), i, e) for i, e in enumerate(chart.entries)]
    rows = tuple(e for gap, _, e in sorted((g for g in gaps if g[0] > 0),
                                           key=lambda g: (-g[0], g[1])))
    columns = tuple(
        Column(number, code, title)
        for number, (code, title) in enumerate(chart.criteria, start=1)
        if any(has_gap(e, code) for e in rows)
    )
    done = tuple(e for gap, _, e in gaps if gap == 0)
    return Behind(rows, columns, done)


def shown_percent(percent: Decimal) -> int:
    """A percentage still short of the target, rounded down: 99,6 % shows as 99, never as
    a 100 that would look met."""
    return max(0, int(percent.to_integral_value(rounding=ROUND_FLOOR)))
