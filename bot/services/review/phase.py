"""A phase as a whole: the chair's overview, "/review done", and what reminders ask
(who has not submitted, which criteria a unit still has to fill)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services.clock import Clock
from bot.services.ranking.scoreboard import Scoreboard, UnitResult, load_scoreboard
from bot.services.reports.entry import pick_phase
from bot.services.scoring import is_optional
from storage import audit
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, Criterion, Phase, Unit
from storage.reports import queries as report_queries
from storage.reports.records import ReportState


@dataclass(frozen=True)
class Overview:
    phase: Phase
    board: Scoreboard
    finished: bool

    @property
    def rows(self) -> list[UnitResult]:
        return self.board.phase_results(self.phase.id)

    @property
    def handed_in(self) -> int:
        return sum(1 for r in self.rows if r.report is not None and r.report.handed_in)


async def review_overview(
    db: Database, clock: Clock, *, block: Block, phase_code: str | None = None,
    phase_id: int | None = None,
) -> Overview | None:
    """Every unit's report state and score in the phase (by id, by code, or the current)."""
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
    if phase_id is not None:
        phase = next((p for p in tree.phases if p.id == phase_id), None)
    else:
        phase = pick_phase(tree, clock.now(), phase_code)
    if phase is None:
        return None
    board = await load_scoreboard(db, block, phase.id)
    return Overview(phase, board, phase.id in board.finished_phases)


class Finish(StrEnum):
    FINISHED = "finished"
    ALREADY = "already"
    PENDING = "pending"  # submitted reports not yet appraised
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class FinishResult:
    outcome: Finish
    phase: Phase | None = None
    pending: tuple[Unit, ...] = ()
    overview: Overview | None = None


async def finish_review(
    db: Database, clock: Clock, *, block: Block, actor_tg_id: int,
    phase_code: str | None = None, phase_id: int | None = None,
) -> FinishResult:
    """Declare the phase's appraisal done: from now on its scores are final.

    Refused while a submitted report still waits for appraisal (it would be frozen at the
    unit's own points without the chair having looked). Units that never submitted stay 0.
    """
    overview = await review_overview(
        db, clock, block=block, phase_code=phase_code, phase_id=phase_id
    )
    if overview is None:
        return FinishResult(Finish.UNKNOWN)
    pending = tuple(
        r.unit for r in overview.rows
        if r.report is not None and r.report.state is ReportState.SUBMITTED
    )
    if pending:
        return FinishResult(Finish.PENDING, overview.phase, pending, overview)
    now = clock.now()
    async with db.transaction() as conn:
        new = await report_queries.mark_review_finished(
            conn, block_id=block.id, phase_id=overview.phase.id, by=actor_tg_id, now=now
        )
        if new:
            await audit.record(
                conn, at=now, action="review.finished", block_id=block.id,
                actor_tg_id=actor_tg_id, subject=overview.phase.code,
                after={"handed_in": overview.handed_in, "units": len(overview.rows)},
            )
    fresh = await review_overview(db, clock, block=block, phase_id=overview.phase.id)
    return FinishResult(Finish.FINISHED if new else Finish.ALREADY, overview.phase,
                        overview=fresh)


async def units_without_report(db: Database, block: Block, phase: Phase) -> list[Unit]:
    """Active units whose report for the phase is not handed in (none, draft, returned)."""
    async with db.read() as conn:
        return await report_queries.units_without_submission(conn, block, phase.id)


async def missing_criteria(
    db: Database, block: Block, unit: Unit, phase: Phase
) -> list[Criterion]:
    """Required criteria still empty in the unit's report (all of them if not started)."""
    async with db.read() as conn:
        empty = await report_queries.empty_criteria(conn, block, unit.id, phase.id)
    return [c for c in empty if not is_optional(c)]
