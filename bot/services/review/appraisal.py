"""The chair's appraisal (thẩm định) of one unit's report: adjusting a criterion's points
with a reason, accepting the report, returning it for correction (the phase as a whole is
in phase.py).

The handler checks chair rights from the database; these functions check that the report
belongs to the chair's block and is still as the chair's screen showed it (shown.py:
compare-and-set on the report's version; otherwise nothing changes and the result says who
decided what, and when), and queue the unit's notice in the same transaction
(bot.services.notify). So a report another chair accepted a moment ago is not returned by
a screen that still showed it waiting, and two presses of «Chấp nhận» on one screen accept
it, tell the unit and write the audit row once.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.formatting import NumberInputError, format_points, parse_number
from bot.services import notify
from bot.services.clock import Clock
from bot.services.reminders.wording import returned_buttons
from bot.services.reports.entry import report_view
from bot.services.review.appraiser import Appraiser, may_appraise
from bot.services.review.shown import (
    Review,
    ReviewResult,
    criterion_to_appraise,
    locked,
    not_as_shown,
    open_for_change,
    report_to_review,
)
from bot.services.scoring import appraisal_limit, scored
from bot.services.values import MAX_DECIMALS, decimal_places
from bot.texts import Catalog
from storage import audit
from storage import reports as reports_repo
from storage.db import Database
from storage.records import Block, Criterion
from storage.reports.records import ReportState

__all__ = [
    "MAX_REASON_CHARS", "Appraiser", "Review", "ReviewResult", "accept_report",
    "appraise_criterion",
    "criterion_to_appraise", "open_for_change", "read_appraisal", "report_to_review",
    "return_report", "split_points_and_reason",
]

# A reason is a sentence or a short paragraph; the unit reads it in a Telegram message.
MAX_REASON_CHARS = 1000


def _reason_needed(criterion: Criterion, new: Decimal, claimed: Decimal) -> bool:
    # Lowering a unit's score needs a reason; for a penalty line that means a larger penalty.
    return new > claimed if criterion.penalty else new < claimed


async def appraise_criterion(
    db: Database, clock: Clock, *, block: Block, actor_tg_id: int, report_id: int,
    criterion_id: int, text: str, lang: str, version: int | None = None,
    pending: Decimal | None = None, appraiser: Appraiser | None = None,
) -> ReviewResult:
    """Set the chair's points for one criterion, with a reason (required when lowering).

    `version`: the report's version the question was asked on (None: no screen to compare,
    e.g. a script). `pending`: points typed earlier that wait for their reason; then the
    text alone is that reason, unless it is new points (see read_appraisal). `appraiser`:
    who types (appraiser.py: never for their own unit); None for a script."""
    now = clock.now()
    points_text, reason = read_appraisal(text, lang, pending)
    async with db.transaction() as conn:
        view, report = await locked(conn, block, report_id, now, version)
        criterion = view.criterion(criterion_id) if view else None
        if view is None or criterion is None or not scored(criterion):
            return ReviewResult(Review.UNKNOWN)
        if not may_appraise(view.tree, view.unit, appraiser):
            return ReviewResult(Review.NOT_YOURS, view, criterion)
        if report is None:
            return await not_as_shown(conn, view, version, criterion)
        try:
            points = pending if points_text is None else parse_number(points_text, lang)
        except NumberInputError:
            return ReviewResult(Review.BAD_POINTS, view, criterion)
        assert points is not None
        limit = appraisal_limit(criterion)
        if points < 0 or points > limit or decimal_places(points) > MAX_DECIMALS:
            return ReviewResult(Review.OVER_LIMIT, view, criterion, points, limit)
        old = view.values.get(criterion.id)
        claimed = old.self_points if old and old.self_points is not None else Decimal(0)
        if reason is None and _reason_needed(criterion, points, claimed):
            return ReviewResult(Review.REASON_REQUIRED, view, criterion, points)
        if reason is not None and len(reason) > MAX_REASON_CHARS:
            return ReviewResult(Review.REASON_TOO_LONG, view, criterion, points,
                                limit=MAX_REASON_CHARS)
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


def read_appraisal(
    text: str, lang: str, pending: Decimal | None = None
) -> tuple[str | None, str | None]:
    """(the points as typed, the reason) of the chair's message; the points are None when
    the message is only the reason for `pending` points.

    Without pending points: '30; Chưa đủ minh chứng', '30' and the reason on the next line,
    or '30 Chưa đủ…'. While points wait for their reason, the message is that reason, unless
    it is a figure alone or a figure before ';' or a line break (the chair changed the
    points): '2 minh chứng chưa hợp lệ' is a reason, never 2 points."""
    if pending is None:
        return split_points_and_reason(text)
    head, reason = split_points_and_reason(text)
    explicit = reason is None or re.match(r"\s*[^;\n]*?\s*[;\n]", text) is not None
    if head and explicit and _is_number(head, lang):
        return head, reason
    stripped = text.strip()
    return None, stripped or None


def _is_number(text: str, lang: str) -> bool:
    try:
        parse_number(text, lang)
    except NumberInputError:
        return False
    return True


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
    report_id: int, version: int | None = None, appraiser: Appraiser | None = None,
) -> ReviewResult:
    """Finish a report's appraisal: untouched criteria keep the unit's own points.
    `version`: the report's version the chair's screen showed (None: no screen)."""
    now = clock.now()
    async with db.transaction() as conn:
        view, report = await locked(conn, block, report_id, now, version)
        if view is None:
            return ReviewResult(Review.UNKNOWN)
        if not may_appraise(view.tree, view.unit, appraiser):
            return ReviewResult(Review.NOT_YOURS, view)
        if report is None:
            return await not_as_shown(conn, view, version)
        before = view.score.total
        await reports_repo.accept_remaining(conn, report.id, by=actor_tg_id, now=now)
        await reports_repo.set_report_fields(
            conn, report.id, state=ReportState.APPRAISED, appraised_at=now,
            appraised_by=actor_tg_id,
        )
        view = await report_view(conn, block, report_id, now)
        assert view is not None and view.report is not None
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

        # The version names this verdict: the same verdict is never told twice.
        dedupe = f"report:appraised:{report.id}:v{view.report.version}"
        await notify.queue(
            conn, texts, await notify.unit(conn, block, view.unit.id),
            "report-notice-appraised", block=block, batch=dedupe, dedupe=dedupe, now=now,
            params=params,
        )
    return ReviewResult(Review.DONE, view)


async def return_report(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, actor_tg_id: int,
    report_id: int, reason: str, version: int | None = None,
    appraiser: Appraiser | None = None,
) -> ReviewResult:
    """Send the report back to the unit for correction, unlocking it, with the reason.
    `version`: the report's version when the chair was asked for the reason."""
    now = clock.now()
    reason = reason.strip()
    async with db.transaction() as conn:
        view, report = await locked(conn, block, report_id, now, version)
        if view is None:
            return ReviewResult(Review.UNKNOWN)
        if not may_appraise(view.tree, view.unit, appraiser):
            return ReviewResult(Review.NOT_YOURS, view)
        if report is None:
            return await not_as_shown(conn, view, version)
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
        dedupe = f"report:returned:{report.id}:v{report.version + 1}"
        phase_id, returned = view.phase.id, report.id
        await notify.queue(
            conn, texts, await notify.unit(conn, block, view.unit.id),
            "report-notice-returned", block=block, batch=dedupe, dedupe=dedupe, now=now,
            params={"phase": view.phase.name, "reason": reason},
            # «📝 Mở báo cáo» and «⏰ Nhắc lại sau» (bot.services.reminders.wording)
            buttons=lambda lang: returned_buttons(texts, lang, phase_id, returned),
        )
        view = await report_view(conn, block, report_id, now)
    return ReviewResult(Review.DONE, view)
