"""Submitting a report: the summary to confirm, then the locked submission, announced to
the chairs (their digest) and the group (its progress message) in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.clock import Clock
from bot.services.digest.chair import note_submission
from bot.services.progress.posts import refresh as refresh_progress
from bot.services.reports.entry import ReportView, fresh_view, writable_report
from bot.services.scoring import points_for
from bot.texts import Catalog
from storage import audit
from storage import reports as reports_repo
from storage.db import Database
from storage.records import Block, Unit
from storage.reports.records import EDITABLE_STATES, HANDED_IN_STATES, Report, ReportState
from storage.reports.tables import reports
from storage.tables import units


class Submit(StrEnum):
    READY = "ready"  # the preview: everything filled, confirm to submit
    SUBMITTED = "submitted"
    MISSING = "missing"
    LOCKED = "locked"
    CLOSED = "closed"  # not started, or late and the block refuses late reports
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SubmitResult:
    outcome: Submit
    view: ReportView | None = None
    late: bool = False
    handed_in: int = 0  # k of "k/N"
    units: int = 0  # N
    resubmitted: bool = False  # sent again after the chair returned it for correction


def _check(view: ReportView | None) -> Submit | None:
    if view is None:
        return Submit.UNKNOWN
    if not view.started or view.late_refused:
        return Submit.CLOSED
    if view.state not in EDITABLE_STATES:
        return Submit.LOCKED
    if view.missing:
        return Submit.MISSING
    return None


def will_be_late(view: ReportView) -> bool:
    # Lateness is decided once, at the first submission: a report the chair returned after
    # the deadline is not late when it comes back corrected.
    if view.report is not None and view.report.first_submitted_at is not None:
        return view.report.late
    return view.past_due


async def preview_submit(
    db: Database, clock: Clock, *, block: Block, unit: Unit, phase_id: int
) -> SubmitResult:
    """What the confirmation shows: the self-score total, or why it cannot be submitted."""
    async with db.read() as conn:
        view = await fresh_view(conn, block, unit, phase_id, clock.now())
    refusal = _check(view)
    if refusal is not None:
        return SubmitResult(refusal, view)
    assert view is not None
    return SubmitResult(Submit.READY, view, late=will_be_late(view))


async def _handed_in_count(conn: AsyncConnection, block_id: int, phase_id: int) -> tuple[int, int]:
    handed = select(func.count()).where(
        reports.c.phase_id == phase_id,
        reports.c.state.in_([s.value for s in HANDED_IN_STATES]),
    )
    total = select(func.count()).where(units.c.block_id == block_id, units.c.active.is_(True))
    return (
        int((await conn.execute(handed)).scalar_one()),
        int((await conn.execute(total)).scalar_one()),
    )


async def _refresh_points(conn: AsyncConnection, view: ReportView, report: Report) -> None:
    """Score every value with today's targets: the total the unit confirms is what counts."""
    for criterion in view.criteria:
        value = view.values.get(criterion.id)
        if value is None or value.self_value is None:
            continue
        points = points_for(criterion, value.self_value, view.targets.get(criterion.code))
        if points is not None and points != value.self_points:
            await reports_repo.set_self_points(conn, report.id, criterion.id, points)


async def submit_report(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, unit: Unit,
    actor_tg_id: int, phase_id: int,
) -> SubmitResult:
    """Lock the report for the unit, mark it late if it is, and tell the chair and group."""
    now = clock.now()
    async with db.transaction() as conn:
        view = await fresh_view(conn, block, unit, phase_id, now)
        refusal = _check(view)
        if refusal is not None:
            return SubmitResult(refusal, view)
        assert view is not None
        report = await writable_report(conn, view, now)
        if report is None:
            return SubmitResult(Submit.LOCKED, view)
        late = will_be_late(view)
        resubmitted = report.first_submitted_at is not None
        await _refresh_points(conn, view, report)
        await reports_repo.set_report_fields(
            conn, report.id, state=ReportState.SUBMITTED, late=late, submitted_at=now,
            submitted_by=actor_tg_id, first_submitted_at=report.first_submitted_at or now,
        )
        view = await fresh_view(conn, block, unit, phase_id, now)
        assert view is not None
        await audit.record(
            conn, at=now, action="report.submitted", block_id=block.id,
            actor_tg_id=actor_tg_id, actor_unit_id=unit.id,
            subject=f"{unit.code}/{view.phase.code}",
            before={"state": report.state.value},
            after={"state": ReportState.SUBMITTED.value, "late": late,
                   "self_total": view.score.self_total, "resubmitted": resubmitted},
        )
        handed, total = await _handed_in_count(conn, block.id, phase_id)
        await _announce(conn, texts, view, _notice_key(late, resubmitted), handed, total,
                        actor_tg_id, now)
    return SubmitResult(Submit.SUBMITTED, view, late=late, handed_in=handed, units=total,
                        resubmitted=resubmitted)


def _notice_key(late: bool, resubmitted: bool) -> str:
    # A corrected report coming back is not one more unit reporting (the group already
    # saw "k/N" reach this count before the return); say it is back for appraisal.
    if resubmitted:
        return "report-notice-resubmitted"
    return "report-notice-submitted-late" if late else "report-notice-submitted"


async def _announce(
    conn: AsyncConnection, texts: Catalog, view: ReportView, key: str, handed: int,
    total: int, actor_tg_id: int, now: datetime,
) -> None:
    # The chair hears of it in its digest and the group's pinned progress message counts
    # it (issue 18): no message of its own to either (self-scores stay out of the group).
    block = view.tree.block
    assert view.report is not None
    await note_submission(conn, texts, block=block, unit=view.unit, phase=view.phase,
                          report_id=view.report.id, self_total=view.score.self_total,
                          late=key.endswith("-late"), resubmitted=key.endswith("resubmitted"),
                          actor_tg_id=actor_tg_id, now=now)
    await refresh_progress(conn, texts, block, now, post_if_none=True)
