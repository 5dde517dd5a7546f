"""The chair's appraisal (thẩm định): overview of a phase, one unit's report, accepting,
adjusting points with a reason, returning for correction, finishing the phase.

The handler checks chair rights from the database; these functions check that the report
belongs to the chair's block and that its state allows the action, inside the transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.formatting import NumberInputError, format_points, parse_number
from bot.services.clock import Clock
from bot.services.reports.entry import ReportView, load_view
from bot.services.reports.notices import OPEN_REPORT_DATA, queue_notice, unit_recipients
from bot.services.scoring import appraisal_limit
from bot.services.values import MAX_DECIMALS, decimal_places
from bot.texts import Catalog
from storage import audit
from storage import blocks as blocks_repo
from storage import reports as reports_repo
from storage.db import Database
from storage.records import Block, Criterion
from storage.reports.records import HANDED_IN_STATES, Report, ReportState

# A reason is a sentence or a short paragraph; the unit reads it in a Telegram message.
MAX_REASON_CHARS = 1000


class Review(StrEnum):
    DONE = "done"
    UNKNOWN = "unknown"  # no such report in this block (or criterion)
    WRONG_STATE = "wrong-state"  # not in the chair's hands (draft, returned)
    BAD_POINTS = "bad-points"
    OVER_LIMIT = "over-limit"
    REASON_REQUIRED = "reason-required"
    REASON_TOO_LONG = "reason-too-long"


@dataclass(frozen=True)
class ReviewResult:
    outcome: Review
    view: ReportView | None = None
    criterion: Criterion | None = None
    points: Decimal | None = None
    limit: Decimal | int | None = None


async def report_view(
    conn: AsyncConnection, block: Block, report_id: int, now: datetime
) -> ReportView | None:
    """The view of a report by id, only if it belongs to `block`."""
    report = await reports_repo.get_report(conn, report_id)
    if report is None or report.block_id != block.id:
        return None
    tree = await blocks_repo.load_tree(conn, block)
    unit = tree.unit(report.unit_id) or await blocks_repo.get_unit(conn, report.unit_id)
    phase = next((p for p in tree.phases if p.id == report.phase_id), None)
    if unit is None or phase is None:
        return None
    return await load_view(conn, block, unit, phase, now)


async def _locked(
    conn: AsyncConnection, block: Block, report_id: int, now: datetime
) -> tuple[ReportView | None, Report | None]:
    """Lock a handed-in report of the block (write lock first, then read)."""
    report = await reports_repo.lock_report(conn, report_id, HANDED_IN_STATES, now)
    view = await report_view(conn, block, report_id, now)
    if view is None:
        return None, None
    return view, report


def _reason_needed(criterion: Criterion, new: Decimal, claimed: Decimal) -> bool:
    # Lowering a unit's score needs a reason; for a penalty line that means a larger penalty.
    return new > claimed if criterion.penalty else new < claimed


async def appraise_criterion(
    db: Database, clock: Clock, *, block: Block, actor_tg_id: int, report_id: int,
    criterion_id: int, text: str, lang: str,
) -> ReviewResult:
    """Set the chair's points for one criterion, with a reason (required when lowering)."""
    now = clock.now()
    head, reason = split_points_and_reason(text)
    async with db.transaction() as conn:
        view, report = await _locked(conn, block, report_id, now)
        criterion = view.criterion(criterion_id) if view else None
        if view is None or criterion is None:
            return ReviewResult(Review.UNKNOWN)
        if report is None:
            return ReviewResult(Review.WRONG_STATE, view, criterion)
        try:
            points = parse_number(head, lang)
        except NumberInputError:
            return ReviewResult(Review.BAD_POINTS, view, criterion)
        limit = appraisal_limit(criterion)
        if points < 0 or points > limit or decimal_places(points) > MAX_DECIMALS:
            return ReviewResult(Review.OVER_LIMIT, view, criterion, points, limit)
        old = view.values.get(criterion.id)
        claimed = old.self_points if old and old.self_points is not None else Decimal(0)
        if reason is None and _reason_needed(criterion, points, claimed):
            return ReviewResult(Review.REASON_REQUIRED, view, criterion, points)
        if reason is not None and len(reason) > MAX_REASON_CHARS:
            return ReviewResult(Review.REASON_TOO_LONG, view, criterion, limit=MAX_REASON_CHARS)
        await reports_repo.set_appraisal(
            conn, report_id=report.id, criterion_id=criterion.id, points=points,
            reason=reason, by=actor_tg_id, now=now,
        )
        await audit.record(
            conn, at=now, action="review.points", block_id=block.id, actor_tg_id=actor_tg_id,
            subject=f"{view.unit.code}/{view.phase.code}/{criterion.code}",
            before={"self_points": claimed,
                    "appraised_points": old.appraised_points if old else None},
            after={"appraised_points": points, "reason": reason},
        )
        view = await report_view(conn, block, report_id, now)
    return ReviewResult(Review.DONE, view, criterion, points)


def split_points_and_reason(text: str) -> tuple[str, str | None]:
    """'30; Chưa đủ minh chứng', '30' and the reason on the next line, or '30 Chưa đủ…'."""
    match = re.match(r"\s*([^;\n]*?)\s*(?:[;\n]\s*(.*))?\s*$", text, flags=re.DOTALL)
    assert match is not None
    head, tail = match.group(1), match.group(2)
    if tail is None and " " in head:  # '30 Chưa đủ minh chứng'
        head, _, tail = head.partition(" ")
    return head.strip(), (tail.strip() if tail and tail.strip() else None)


async def accept_report(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, actor_tg_id: int,
    report_id: int,
) -> ReviewResult:
    """Finish a report's appraisal: untouched criteria keep the unit's own points."""
    now = clock.now()
    async with db.transaction() as conn:
        view, report = await _locked(conn, block, report_id, now)
        if view is None:
            return ReviewResult(Review.UNKNOWN)
        if report is None:
            return ReviewResult(Review.WRONG_STATE, view)
        before = view.score.total
        await reports_repo.accept_remaining(conn, report.id, by=actor_tg_id, now=now)
        await reports_repo.set_report_fields(
            conn, report.id, state=ReportState.APPRAISED, appraised_at=now,
            appraised_by=actor_tg_id,
        )
        view = await report_view(conn, block, report_id, now)
        assert view is not None
        await audit.record(
            conn, at=now, action="review.accepted", block_id=block.id, actor_tg_id=actor_tg_id,
            subject=f"{view.unit.code}/{view.phase.code}",
            before={"state": report.state.value, "total": before},
            after={"state": ReportState.APPRAISED.value, "total": view.score.total,
                   "points": {s.criterion.code: s.points for s in view.score.criteria}},
        )
        score = view.score

        def params(lang: str) -> dict[str, object]:
            return {"phase": view.phase.name, "total": format_points(score.total, lang),
                    "self_total": format_points(score.self_total, lang)}

        await queue_notice(
            conn, texts, block=block, recipients=await unit_recipients(conn, block, view.unit.id),
            key="report-notice-appraised", params=params,
            dedupe=f"appraised:{report.id}:{now:%Y%m%d%H%M%S}", now=now,
        )
    return ReviewResult(Review.DONE, view)


async def return_report(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, actor_tg_id: int,
    report_id: int, reason: str,
) -> ReviewResult:
    """Send the report back to the unit for correction, unlocking it, with the reason."""
    now = clock.now()
    reason = reason.strip()
    async with db.transaction() as conn:
        view, report = await _locked(conn, block, report_id, now)
        if view is None:
            return ReviewResult(Review.UNKNOWN)
        if report is None:
            return ReviewResult(Review.WRONG_STATE, view)
        if not reason:
            return ReviewResult(Review.REASON_REQUIRED, view)
        if len(reason) > MAX_REASON_CHARS:
            return ReviewResult(Review.REASON_TOO_LONG, view, limit=MAX_REASON_CHARS)
        await reports_repo.set_report_fields(
            conn, report.id, state=ReportState.RETURNED, returned_at=now,
            returned_by=actor_tg_id, return_reason=reason,
        )
        await audit.record(
            conn, at=now, action="review.returned", block_id=block.id, actor_tg_id=actor_tg_id,
            subject=f"{view.unit.code}/{view.phase.code}",
            before={"state": report.state.value}, after={"state": "returned", "reason": reason},
        )
        await queue_notice(
            conn, texts, block=block, recipients=await unit_recipients(conn, block, view.unit.id),
            key="report-notice-returned", params={"phase": view.phase.name, "reason": reason},
            dedupe=f"returned:{report.id}:{now:%Y%m%d%H%M%S}", now=now,
            button=("report-button-open", OPEN_REPORT_DATA.format(phase_id=view.phase.id)),
        )
        view = await report_view(conn, block, report_id, now)
    return ReviewResult(Review.DONE, view)
