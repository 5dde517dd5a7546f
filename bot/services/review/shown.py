"""The report as the chair's screen showed it: what the appraisal's use cases
(appraisal.py) return, and the compare-and-set they start with.

Every button of the chair's report screen and every pending question (points, a return
reason) carries the report's version (storage.reports: raised by each change of its state
and of the chair's points). A change is made only on that version: `locked` takes the
report's write lock at that version, and when the report has moved on, `not_as_shown` says
who decided what, and when (decisions.py), and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.audit import Decision
from bot.services.clock import Clock
from bot.services.reports.entry import ReportView, report_view
from bot.services.review.appraiser import Appraiser, may_appraise
from bot.services.review.decisions import last_decision
from bot.services.scoring import scored
from storage import reports as reports_repo
from storage.db import Database
from storage.records import Block, Criterion
from storage.reports.records import HANDED_IN_STATES, Report


class Review(StrEnum):
    DONE = "done"
    UNKNOWN = "unknown"  # no such report in this block (or criterion)
    WRONG_STATE = "wrong-state"  # not in the chair's hands (draft, returned)
    STALE = "stale"  # changed since the chair's screen showed it: `decision` says how
    NOT_YOURS = "not-yours"  # the appraiser's own unit (appraiser.py): someone else's work
    BAD_POINTS = "bad-points"
    OVER_LIMIT = "over-limit"
    REASON_REQUIRED = "reason-required"
    REASON_TOO_LONG = "reason-too-long"


@dataclass(frozen=True)
class ReviewResult:
    outcome: Review
    view: ReportView | None = None
    criterion: Criterion | None = None
    points: Decimal | None = None  # the points read (waiting for a reason: REASON_*)
    limit: Decimal | int | None = None
    decision: Decision | None = None  # STALE: the change the chair had not seen


async def report_to_review(
    db: Database, clock: Clock, *, block: Block, report_id: int
) -> ReportView | None:
    """A report of the block as the chair sees it; None if it is not the block's."""
    async with db.read() as conn:
        return await report_view(conn, block, report_id, clock.now())


async def criterion_to_appraise(
    db: Database, clock: Clock, *, block: Block, report_id: int, criterion_id: int
) -> tuple[ReportView, Criterion] | None:
    """A report of the block and one of its criteria that carries points (a 0-point
    criterion has nothing to appraise); None otherwise."""
    view = await report_to_review(db, clock, block=block, report_id=report_id)
    criterion = view.criterion(criterion_id) if view else None
    if view is None or criterion is None or not scored(criterion):
        return None
    return view, criterion


async def open_for_change(
    db: Database, clock: Clock, *, block: Block, report_id: int, version: int | None,
    criterion_id: int | None = None, appraiser: Appraiser | None = None,
) -> ReviewResult:
    """Before asking the chair for points (`criterion_id`) or a return reason: the report
    (and criterion) if they are still as the pressed screen showed them (`version`) and
    `appraiser` may change it (NOT_YOURS: their own unit's report)."""
    async with db.read() as conn:
        view = await report_view(conn, block, report_id, clock.now())
        criterion = (view.criterion(criterion_id)
                     if view is not None and criterion_id is not None else None)
        if view is None or view.report is None or (
            criterion_id is not None and (criterion is None or not scored(criterion))
        ):
            return ReviewResult(Review.UNKNOWN)
        if not may_appraise(view.tree, view.unit, appraiser):
            return ReviewResult(Review.NOT_YOURS, view, criterion)
        if version is not None and view.report.version != version:
            return await not_as_shown(conn, view, version, criterion)
    if not view.report.handed_in:
        return ReviewResult(Review.WRONG_STATE, view, criterion)
    return ReviewResult(Review.DONE, view, criterion)


async def locked(
    conn: AsyncConnection, block: Block, report_id: int, now: datetime, version: int | None
) -> tuple[ReportView | None, Report | None]:
    """Lock a handed-in report of the block, at `version` if given (write lock first, then
    read); the report is None if it is not handed in or no longer at that version."""
    report = await reports_repo.lock_report(conn, report_id, HANDED_IN_STATES, now,
                                            block_id=block.id, version=version)
    view = await report_view(conn, block, report_id, now)
    if view is None:
        return None, None
    return view, report


async def not_as_shown(
    conn: AsyncConnection, view: ReportView, version: int | None,
    criterion: Criterion | None = None,
) -> ReviewResult:
    """Why a change was not made on a report `locked` refused: it changed since the screen
    (STALE, with the last decision), or it was never in the chair's hands (WRONG_STATE)."""
    report = view.report
    if report is None or (version is not None and report.version == version) or (
        version is None and not report.handed_in
    ):
        return ReviewResult(Review.WRONG_STATE, view, criterion)
    return ReviewResult(Review.STALE, view, criterion,
                        decision=await last_decision(conn, view))
