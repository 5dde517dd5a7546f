"""A unit's report for a phase: opening it and saving a typed value or a yes/no answer.
`CODE: value` lines are in lines.py, submission in submission.py, evidence in evidence.py.

Every use case re-reads the phase, the report and its state inside its own transaction;
the unit always comes from the caller as resolved from the database, never from a button.
The public use cases take the Database; the helpers taking a connection (load_view,
fresh_view, report_view, writable_report, store_values, view_after_saving) are the
building blocks the feature's other use cases run inside their own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.clock import Clock
from bot.services.scoring import NO, YES, PhaseScore, is_optional, phase_score, points_for
from bot.services.targets import unit_targets
from bot.services.values import BadValue, parse_value
from storage import audit
from storage import blocks as blocks_repo
from storage import reports as reports_repo
from storage.activities.fills import attendance_notes
from storage.db import Database
from storage.records import Block, BlockTree, Criterion, Phase, Unit
from storage.reports.queries import report_content
from storage.reports.records import EDITABLE_STATES, Report, ReportState, ReportValue


def late_refused_by(block: Block) -> bool:
    return block.settings.get("late_reports") == "refuse"


def phase_started(tree: BlockTree, phase: Phase, now: datetime) -> bool:
    return now.astimezone(tree.block.tz).date() >= phase.start


def pick_phase(tree: BlockTree, now: datetime, code: str | None = None) -> Phase | None:
    """The phase asked for by code, else the current one, else the latest one started."""
    if code is not None:
        wanted = code.strip().upper()
        return next((p for p in tree.phases if p.code.upper() == wanted), None)
    today = now.astimezone(tree.block.tz).date()
    current = next((p for p in tree.phases if p.start <= today <= p.end), None)
    if current is not None:
        return current
    started = [p for p in tree.phases if p.start <= today]
    return started[-1] if started else None


@dataclass(frozen=True)
class ReportView:
    tree: BlockTree
    unit: Unit
    phase: Phase
    report: Report | None
    values: Mapping[int, ReportValue]
    evidence_counts: Mapping[int, int]
    targets: Mapping[str, Decimal]
    score: PhaseScore
    past_due: bool
    late_refused: bool  # past due, never submitted, and the block refuses late reports
    started: bool
    # criterion id -> the joint activities whose attendance filled it (issue 21): the unit
    # sees it marked and may not overwrite it.
    from_attendance: Mapping[int, str] = field(default_factory=dict)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.tree.criteria

    @property
    def state(self) -> ReportState:
        return self.report.state if self.report else ReportState.DRAFT

    @property
    def editable(self) -> bool:
        return self.started and self.state in EDITABLE_STATES and not self.late_refused

    @property
    def missing(self) -> tuple[Criterion, ...]:
        """Required criteria still without a value (bonus and penalty lines are optional)."""
        return tuple(
            c for c in self.criteria
            if not is_optional(c) and (c.id not in self.values or not self.values[c.id].filled)
        )

    def criterion(self, criterion_id: int) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


async def load_view(
    conn: AsyncConnection, block: Block, unit: Unit, phase: Phase, now: datetime
) -> ReportView:
    tree = await blocks_repo.load_tree(conn, block)
    report = await reports_repo.find_report(conn, unit.id, phase.id)
    values, counts = await report_content(conn, report) if report else ({}, {})
    return _view(tree, unit, phase, report, values, counts, await unit_targets(conn, unit), now,
                 await attendance_notes(conn, unit.id, phase.id))


def _view(
    tree: BlockTree, unit: Unit, phase: Phase, report: Report | None,
    values: Mapping[int, ReportValue], counts: Mapping[int, int],
    targets: Mapping[str, Decimal], now: datetime, filled: Mapping[int, str] | None = None,
) -> ReportView:
    past_due = now > phase.report_due
    never_submitted = report is None or report.first_submitted_at is None
    return ReportView(
        tree=tree,
        unit=unit,
        phase=phase,
        report=report,
        values=values,
        evidence_counts=counts,
        targets=targets,
        score=phase_score(
            tree.criteria, values,
            final=report is not None and report.state is ReportState.APPRAISED,
        ),
        past_due=past_due,
        late_refused=past_due and never_submitted and late_refused_by(tree.block),
        started=phase_started(tree, phase, now),
        from_attendance=filled or {},
    )


async def view_after_saving(
    conn: AsyncConnection, view: ReportView, report: Report, now: datetime
) -> ReportView:
    """The view once this transaction saved values into `report` (as writable_report
    returned it): only the values are read again (a colleague may have saved another one
    between our first read and the write lock). The tree, the evidence and the targets
    cannot change in a transaction that only saves values, so they are not read twice."""
    values = await reports_repo.values_of(conn, report.id)
    return _view(view.tree, view.unit, view.phase, report, values, view.evidence_counts,
                 view.targets, now, view.from_attendance)


async def report_view(
    conn: AsyncConnection, block: Block, report_id: int, now: datetime
) -> ReportView | None:
    """The view of a report by id (the chair's buttons), only if it belongs to `block`."""
    report = await reports_repo.get_report(conn, report_id)
    if report is None or report.block_id != block.id:
        return None
    tree = await blocks_repo.load_tree(conn, block)
    unit = tree.unit(report.unit_id) or await blocks_repo.get_unit(conn, report.unit_id)
    phase = next((p for p in tree.phases if p.id == report.phase_id), None)
    if unit is None or phase is None:
        return None
    return await load_view(conn, block, unit, phase, now)


async def open_report(
    db: Database, clock: Clock, *, block: Block, unit: Unit, phase_code: str | None = None
) -> ReportView | None:
    """The unit's report for the chosen phase (see pick_phase); None if there is none."""
    now = clock.now()
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        phase = pick_phase(tree, now, phase_code)
        if phase is None:
            return None
        return await load_view(conn, block, unit, phase, now)


async def view_of(
    db: Database, clock: Clock, *, block: Block, unit: Unit, phase_id: int
) -> ReportView | None:
    """The report of a phase given by id (from a button): None unless it is this block's."""
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        phase = next((p for p in tree.phases if p.id == phase_id), None)
        if phase is None:
            return None
        return await load_view(conn, block, unit, phase, clock.now())


class Save(StrEnum):
    SAVED = "saved"
    BAD = "bad"
    LOCKED = "locked"  # submitted / appraised: the unit cannot change it now
    CLOSED = "closed"  # phase not started, or past due in a block refusing late reports
    UNKNOWN = "unknown"  # the phase or criterion is not (or no longer) in the block
    FILLED = "filled"  # filled from a joint activity's attendance: not the unit's to change


@dataclass(frozen=True)
class SaveResult:
    outcome: Save
    view: ReportView | None = None
    criterion: Criterion | None = None
    bad: BadValue | None = None
    stored: str | None = None


async def writable_report(
    conn: AsyncConnection, view: ReportView, now: datetime
) -> Report | None:
    """Create the draft if needed and take the report's write lock in an editable state."""
    report = view.report or await reports_repo.ensure_report(
        conn, block_id=view.tree.block.id, unit_id=view.unit.id, phase_id=view.phase.id,
        now=now,
    )
    return await reports_repo.lock_report(conn, report.id, EDITABLE_STATES, now,
                                          block_id=view.tree.block.id)


def refusal_of(view: ReportView | None) -> Save | None:
    if view is None:
        return Save.UNKNOWN
    if not view.started or view.late_refused:
        return Save.CLOSED
    if view.state not in EDITABLE_STATES:
        return Save.LOCKED
    return None


async def store_values(
    conn: AsyncConnection, view: ReportView, report: Report,
    chosen: Sequence[tuple[Criterion, str]], actor_tg_id: int, now: datetime,
) -> None:
    """Save values (criterion, canonical text) with one audit entry each (an upsert and an
    audit insert per value, both prebuilt)."""
    # The view was read in this transaction, before the report's write lock was taken, so
    # `old` is the value this writer replaced (two representatives typing at once: last
    # write wins, and the audit shows both).
    rows, entries = [], []
    for criterion, stored in chosen:
        old = view.values.get(criterion.id)
        points = points_for(criterion, stored, view.targets.get(criterion.code))
        assert points is not None
        rows.append(reports_repo.self_value(report.id, criterion.id, stored, points,
                                            actor_tg_id, now))
        entries.append(audit.entry(
            at=now, action="report.value", block_id=view.tree.block.id,
            actor_tg_id=actor_tg_id, actor_unit_id=view.unit.id,
            subject=f"{view.unit.code}/{view.phase.code}/{criterion.code}",
            before={"value": old.self_value, "points": old.self_points} if old else None,
            after={"value": stored, "points": points},
        ))
    await reports_repo.set_self_values(conn, rows)
    await audit.record_all(conn, entries)


async def save_value(
    db: Database, clock: Clock, *, block: Block, unit: Unit, actor_tg_id: int,
    phase_id: int, criterion_id: int, text: str, lang: str,
) -> SaveResult:
    """Validate and save one criterion's value into the unit's draft."""
    return await _save(db, clock, block, unit, actor_tg_id, phase_id, criterion_id, text,
                       lang, kind=None)


async def answer_yesno(
    db: Database, clock: Clock, *, block: Block, unit: Unit, actor_tg_id: int,
    phase_id: int, criterion_id: int, answer: bool, lang: str,
) -> SaveResult:
    """Save a yes/no button's answer; UNKNOWN (and no view) unless the phase is the block's
    and the criterion is a yes/no one (a button of another kind is forged)."""
    return await _save(db, clock, block, unit, actor_tg_id, phase_id, criterion_id,
                       YES if answer else NO, lang, kind="yesno")


async def _save(
    db: Database, clock: Clock, block: Block, unit: Unit, actor_tg_id: int, phase_id: int,
    criterion_id: int, text: str, lang: str, *, kind: str | None,
) -> SaveResult:
    now = clock.now()
    async with db.transaction() as conn:
        view = await fresh_view(conn, block, unit, phase_id, now)
        criterion = view.criterion(criterion_id) if view else None
        if view is None or criterion is None or kind not in (None, criterion.kind):
            return SaveResult(Save.UNKNOWN)
        refused = refusal_of(view)
        if refused is not None:
            return SaveResult(refused, view, criterion)
        if criterion.id in view.from_attendance:
            return SaveResult(Save.FILLED, view, criterion)
        parsed = parse_value(criterion, text, lang)
        if isinstance(parsed, BadValue):
            return SaveResult(Save.BAD, view, criterion, bad=parsed)
        report = await writable_report(conn, view, now)
        if report is None:  # submitted by a colleague a moment ago
            return SaveResult(Save.LOCKED, view, criterion)
        await store_values(conn, view, report, [(criterion, parsed.stored)], actor_tg_id, now)
        view = await view_after_saving(conn, view, report, now)
    return SaveResult(Save.SAVED, view, criterion, stored=parsed.stored)


async def fresh_view(
    conn: AsyncConnection, block: Block, unit: Unit, phase_id: int, now: datetime
) -> ReportView | None:
    tree = await blocks_repo.load_tree(conn, block)
    phase = next((p for p in tree.phases if p.id == phase_id), None)
    return None if phase is None else await load_view(conn, block, unit, phase, now)
