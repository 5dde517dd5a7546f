"""Scores of every unit in a phase or the year, from one aggregate query and the pure
scoring rules; /myreport and /review read it, ranking and exports can too.

`build_scoreboard` is pure (tree + aggregate in, scores out); `load_scoreboard` runs the one
query. A unit's phase score is final once its report is appraised or the chair declared the
phase's appraisal done (/review done); otherwise it is provisional ("Tạm tính").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.services.scoring import PhaseScore, YearScore, phase_score, phase_weights, year_score
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, BlockTree, Phase, Unit
from storage.reports.queries import block_reports
from storage.reports.records import BlockReports, Report, ReportState


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    phase: Phase
    report: Report | None
    score: PhaseScore
    evidence: int  # files attached, all criteria

    @property
    def status(self) -> str:
        """none | draft | submitted | late | returned | appraised (for lists and labels)."""
        if self.report is None:
            return "none"
        state = self.report.state
        if state is ReportState.SUBMITTED and self.report.late:
            return "late"
        return state.value


@dataclass(frozen=True)
class Scoreboard:
    tree: BlockTree
    phases: tuple[Phase, ...]
    results: Mapping[tuple[int, int], UnitResult]
    finished_phases: frozenset[int]
    weights: Mapping[str, Decimal]

    def of(self, unit_id: int, phase_id: int) -> UnitResult:
        return self.results[(unit_id, phase_id)]

    def phase_results(self, phase_id: int) -> list[UnitResult]:
        """Every active unit's result in the phase, in block-file order."""
        return [self.results[(u.id, phase_id)] for u in self.tree.units]

    def year(self, unit_id: int) -> YearScore:
        return year_score(
            {p.code: self.results[(unit_id, p.id)].score for p in self.phases}, self.weights
        )


def build_scoreboard(
    tree: BlockTree, data: BlockReports, phases: Sequence[Phase] | None = None
) -> Scoreboard:
    chosen = tuple(phases if phases is not None else tree.phases)
    results: dict[tuple[int, int], UnitResult] = {}
    for phase in chosen:
        for unit in tree.units:
            found = data.get(unit.id, phase.id)
            report = found.report if found else None
            final = phase.id in data.finished_phases or (
                report is not None and report.state is ReportState.APPRAISED
            )
            score = phase_score(tree.criteria, found.values if found else {}, final=final)
            evidence = sum(found.evidence_counts.values()) if found else 0
            results[(unit.id, phase.id)] = UnitResult(unit, phase, report, score, evidence)
    return Scoreboard(
        tree=tree,
        phases=chosen,
        results=results,
        finished_phases=data.finished_phases,
        weights=phase_weights(tree.block.settings),
    )


async def load_scoreboard(
    db: Database, block: Block, phase_id: int | None = None
) -> Scoreboard:
    """One phase's scores (phase_id) or every phase's (None), read in one query."""
    board, _ = await load_scoreboard_and_reports(db, block, phase_id)
    return board


async def load_scoreboard_and_reports(
    db: Database, block: Block, phase_id: int | None = None
) -> tuple[Scoreboard, BlockReports]:
    """load_scoreboard, with the aggregate it was built from, for callers that read more
    of the reports (/myreport's adjustments) without a second query."""
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        data = await block_reports(conn, block.id, phase_id)
    phases = [p for p in tree.phases if phase_id is None or p.id == phase_id]
    return build_scoreboard(tree, data, phases), data
