"""What /myreport shows a unit: its scores in every phase and the year, and each criterion
the chair changed on appraisal with the reason given (a unit whose score was cut must be
able to see why without asking)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from bot.services.ranking.scoreboard import Scoreboard, load_scoreboard_and_reports
from bot.services.scoring import scored
from storage.db import Database
from storage.records import Block, Criterion, Unit
from storage.reports.records import ReportData


@dataclass(frozen=True)
class Adjustment:
    """The chair's points differ from the unit's own on this criterion."""

    criterion: Criterion
    self_points: Decimal
    appraised_points: Decimal
    reason: str | None


@dataclass(frozen=True)
class MyResults:
    board: Scoreboard
    adjustments: Mapping[int, tuple[Adjustment, ...]]  # by phase id, in table order


def adjustments_of(criteria: tuple[Criterion, ...], found: ReportData | None
                   ) -> tuple[Adjustment, ...]:
    """Criteria whose appraised points differ from the self-assessed ones (pure)."""
    if found is None:
        return ()
    changed = []
    for criterion in criteria:
        value = found.values.get(criterion.id)
        if value is None or value.appraised_points is None or not scored(criterion):
            continue
        claimed = value.self_points if value.self_points is not None else Decimal(0)
        if value.appraised_points != claimed:
            changed.append(Adjustment(criterion, claimed, value.appraised_points,
                                      value.appraisal_reason))
    return tuple(changed)


async def load_my_results(db: Database, block: Block, unit: Unit) -> MyResults:
    """The block's scoreboard (one aggregate query) and the unit's adjustments in every
    phase."""
    board, data = await load_scoreboard_and_reports(db, block)
    return MyResults(
        board=board,
        adjustments={p.id: adjustments_of(board.tree.criteria, data.get(unit.id, p.id))
                     for p in board.phases},
    )
