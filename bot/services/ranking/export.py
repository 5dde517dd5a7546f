"""What the scoring-table workbook holds: each phase's ranking and the year's, every
reported figure with its target, and the covenant signatures, read at one moment.

The scores come from one aggregate query over every phase (the same rules as /ranking, so
the workbook's totals are the chart's totals); the signatures from the covenant record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.services.activities.listing import ActivityRecord, activities_of
from bot.services.covenant.record import SignatureRow, signing_record
from bot.services.ranking.rank import Period, Ranking, build_ranking
from bot.services.ranking.scoreboard import build_scoreboard
from bot.services.scoring import effective_target, progress_percent
from bot.services.targets import block_targets
from storage import blocks as blocks_repo
from storage.covenant.records import CovenantVersion
from storage.db import Database
from storage.records import Block, BlockTree, Criterion, Phase, Unit
from storage.reports.queries import block_reports
from storage.reports.records import ReportValue


@dataclass(frozen=True)
class ValueRow:
    """One unit's figure for one criterion in one phase (value None: not reported)."""

    phase: Phase
    unit: Unit
    criterion: Criterion
    value: ReportValue | None
    target: Decimal | None
    percent: Decimal | None
    evidence: int
    report_status: str  # as UnitResult.status: none | draft | submitted | late | …


@dataclass(frozen=True)
class ExportData:
    tree: BlockTree
    exported_at: datetime
    phases: tuple[Ranking, ...]
    year: Ranking
    values: tuple[ValueRow, ...]
    signatures: tuple[SignatureRow, ...]
    covenant: CovenantVersion | None = None  # the version the signatures are of
    activities: tuple[ActivityRecord, ...] = ()  # joint activities, with every unit's part

    @property
    def block(self) -> Block:
        return self.tree.block


async def load_export(db: Database, block: Block, now: datetime) -> ExportData:
    """Everything the workbook shows (no Telegram, no openpyxl)."""
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        data = await block_reports(conn, block.id)
        targets = await block_targets(conn, tree.units)
    board = build_scoreboard(tree, data)
    values = []
    for phase in tree.phases:
        for unit in tree.units:
            found = data.get(unit.id, phase.id)
            result = board.of(unit.id, phase.id)
            for criterion in tree.criteria:
                value = found.values.get(criterion.id) if found else None
                own = targets.get(unit.id, {}).get(criterion.code)
                measured = criterion.kind in ("number", "percent")
                values.append(ValueRow(
                    phase=phase, unit=unit, criterion=criterion, value=value,
                    target=effective_target(criterion, own) if measured else None,
                    percent=progress_percent(criterion, value.self_value if value else None,
                                             own),
                    evidence=found.evidence_counts.get(criterion.id, 0) if found else 0,
                    report_status=result.status,
                ))
    record = await signing_record(db, block.code)
    return ExportData(
        tree=tree,
        exported_at=now,
        phases=tuple(build_ranking(board, Period(p), now=now) for p in tree.phases),
        year=build_ranking(board, Period(None), now=now),
        values=tuple(values),
        signatures=record.current,
        covenant=record.version,
        activities=tuple(await activities_of(db, block.id)),
    )
