"""Going through a phase's reports in a few taps: accept (or return) one report and move on
to the next one waiting for this appraiser, in the block's order of units, or to the list
when none is left."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.clock import Clock
from bot.services.reports.entry import ReportView
from bot.services.review.appraisal import accept_report, report_to_review, return_report
from bot.services.review.appraiser import Appraiser, may_appraise
from bot.services.review.phase import Overview, review_overview
from bot.services.review.shown import Review, ReviewResult
from bot.texts import Catalog
from storage.db import Database
from storage.records import Block
from storage.reports.records import ReportState


@dataclass(frozen=True)
class Moved:
    result: ReviewResult  # what became of the report the chair decided on
    following: ReportView | None = None  # the next report waiting for this appraiser
    overview: Overview | None = None  # when none is left: the phase's list


async def next_waiting(
    db: Database, clock: Clock, *, block: Block, phase_id: int, after_unit_id: int,
    appraiser: Appraiser | None,
) -> tuple[ReportView | None, Overview | None]:
    """The next submitted report after `after_unit_id` (wrapping round) that `appraiser`
    may appraise; else None and the phase's overview."""
    overview = await review_overview(db, clock, block=block, phase_id=phase_id)
    if overview is None:
        return None, None
    rows = overview.rows
    start = next((i for i, r in enumerate(rows) if r.unit.id == after_unit_id), -1) + 1
    tree = overview.board.tree
    for row in rows[start:] + rows[:start]:
        report = row.report
        if (report is not None and report.state is ReportState.SUBMITTED
                and row.unit.id != after_unit_id and may_appraise(tree, row.unit, appraiser)):
            view = await report_to_review(db, clock, block=block, report_id=report.id)
            if view is not None:
                return view, None
    return None, overview


async def _moved(
    db: Database, clock: Clock, block: Block, result: ReviewResult,
    appraiser: Appraiser | None,
) -> Moved:
    view = result.view
    if result.outcome is not Review.DONE or view is None:
        return Moved(result)
    following, overview = await next_waiting(
        db, clock, block=block, phase_id=view.phase.id, after_unit_id=view.unit.id,
        appraiser=appraiser)
    return Moved(result, following, overview)


async def accept_and_next(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, actor_tg_id: int,
    report_id: int, version: int | None, appraiser: Appraiser | None,
) -> Moved:
    """«✅ Chấp nhận và sang đơn vị tiếp theo ▶»: accept_report, then the next report."""
    result = await accept_report(db, clock, texts, block=block, actor_tg_id=actor_tg_id,
                                 report_id=report_id, version=version, appraiser=appraiser)
    return await _moved(db, clock, block, result, appraiser)


async def return_and_next(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, actor_tg_id: int,
    report_id: int, reason: str, version: int | None, appraiser: Appraiser | None,
) -> Moved:
    """«↩️ Trả lại» with its reason: return_report, then the next report."""
    result = await return_report(db, clock, texts, block=block, actor_tg_id=actor_tg_id,
                                 report_id=report_id, reason=reason, version=version,
                                 appraiser=appraiser)
    return await _moved(db, clock, block, result, appraiser)
