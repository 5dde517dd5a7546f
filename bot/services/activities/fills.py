"""Attendance into the scoring table: the criterion an activity names is filled in every
unit's report of the activity's phase, through the report feature's own saving path
(bot.services.reports.entry.store_values: one audit entry per value).

- yesno: "Có" when the unit attended every activity of the phase whose attendance was
  taken, else "Không";
- number: how many of them it attended;
- absence_penalty: its points for each absence without a reason (no answer, or «Tham
  gia» and not there), on the block's first penalty criterion of kind "score", at most
  that criterion's points.

A filled value is recorded in activity_fills, so /report marks it and the unit cannot
overwrite it; the chair appraises it like any other. A report already appraised is left
alone (the chair is told which).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.activities.loaded import criterion_of, phase_on
from bot.services.reports.entry import load_view, store_values
from bot.services.scoring import NO, YES
from bot.services.values import canonical_decimal
from storage import activities as repo
from storage import blocks as blocks_repo
from storage import reports as reports_repo
from storage.activities import fills as fills_repo
from storage.activities.records import OPEN, Activity, Answer, Attendance, Fill
from storage.records import Block, BlockTree, Criterion, Phase, Unit
from storage.reports.records import ReportState

# The unit's report may be open or handed in; an appraised one is the chair's final word.
FILLABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED, ReportState.SUBMITTED)

Key = tuple[int, int]  # (unit id, criterion id)


def penalty_criterion(tree: BlockTree) -> Criterion | None:
    return next((c for c in tree.criteria if c.penalty and c.kind == "score"), None)


def counted(tree: BlockTree, activities: Sequence[Activity], phase: Phase) -> list[Activity]:
    """The phase's activities whose attendance the chair has taken."""
    return [a for a in activities if a.state == OPEN and a.attendance_at is not None
            and phase_on(tree, a.starts_at.astimezone(tree.block.tz).date()) == phase]


def _came(attendance: dict[int, dict[int, Attendance]], activity: Activity, unit: Unit) -> bool:
    row = attendance.get(activity.id, {}).get(unit.id)
    return row is not None and row.attended


def _excused(answers: dict[int, dict[int, Answer]], activity: Activity, unit: Unit) -> bool:
    answer = answers.get(activity.id, {}).get(unit.id)
    return answer is not None and not answer.coming and bool(answer.reason)


def wanted_values(tree: BlockTree, acts: Sequence[Activity],
                  attendance: dict[int, dict[int, Attendance]],
                  answers: dict[int, dict[int, Answer]]) -> dict[Key, tuple[str, list[int]]]:
    """(unit, criterion) -> (stored value, activities counted) the phase's attendance gives."""
    wanted: dict[Key, tuple[str, list[int]]] = {}
    for code in sorted({a.criterion_code for a in acts if a.criterion_code}):
        criterion = criterion_of(tree, code)
        if criterion is None:
            continue
        its = [a for a in acts if a.criterion_code == code]
        ids = [a.id for a in its]
        for unit in tree.units:
            came = sum(1 for a in its if _came(attendance, a, unit))
            every = YES if came == len(its) else NO
            value = every if criterion.kind == "yesno" else str(came)
            wanted[(unit.id, criterion.id)] = (value, ids)
    penalty = penalty_criterion(tree)
    fined = [a for a in acts if a.absence_penalty]
    if penalty is not None and fined:
        ids = [a.id for a in fined]
        for unit in tree.units:
            points = sum((a.absence_penalty or Decimal(0) for a in fined
                          if not _came(attendance, a, unit) and not _excused(answers, a, unit)),
                         Decimal(0))
            wanted[(unit.id, penalty.id)] = (canonical_decimal(min(points, penalty.max_points)),
                                             ids)
    return wanted


async def refill_phase(conn: AsyncConnection, block: Block, phase: Phase, now: datetime,
                       actor_tg_id: int) -> list[Unit]:
    """Write what the phase's attendance gives into its reports; the units whose report was
    already appraised (left as they are)."""
    tree = await blocks_repo.load_tree(conn, block)
    acts = counted(tree, await repo.block_activities(conn, block.id), phase)
    ids = [a.id for a in acts]
    wanted = wanted_values(tree, acts, await repo.attendance_of_many(conn, ids),
                           await repo.answers_of_block(conn, ids))
    involved = {criterion_id for _, criterion_id in wanted}
    for code in {a.criterion_code for a in await repo.block_activities(conn, block.id)}:
        if (criterion := criterion_of(tree, code)) is not None:
            involved.add(criterion.id)  # also those whose activities no longer count
    if (penalty := penalty_criterion(tree)) is not None:
        involved.add(penalty.id)
    skipped: list[Unit] = []
    for criterion in (c for c in tree.criteria if c.id in involved):
        existing = await fills_repo.fills_of_phase(conn, phase.id, criterion.id)
        for unit in tree.units:
            old = existing.get(unit.id)
            value, counted_ids = wanted.get((unit.id, criterion.id), (None, []))
            if value is None or (criterion.penalty and value == "0" and old is None):
                if old is not None:  # nothing counts any more: the unit may fill it again
                    await fills_repo.drop_fill(conn, unit.id, phase.id, criterion.id)
                continue
            if old is not None and old.value == value and old.activity_ids == counted_ids:
                continue
            if not await _store(conn, block, unit, phase, criterion, value, now, actor_tg_id):
                skipped.append(unit)
                continue
            if criterion.penalty and value == "0":
                # No absence left to fine: the 0 is written, the line is the unit's again.
                await fills_repo.drop_fill(conn, unit.id, phase.id, criterion.id)
                continue
            await fills_repo.save_fill(conn, Fill(unit.id, phase.id, criterion.id, value,
                                                  counted_ids, now))
    return list({u.id: u for u in skipped}.values())


async def _store(conn: AsyncConnection, block: Block, unit: Unit, phase: Phase,
                 criterion: Criterion, value: str, now: datetime, actor_tg_id: int) -> bool:
    view = await load_view(conn, block, unit, phase, now)
    report = view.report or await reports_repo.ensure_report(
        conn, block_id=block.id, unit_id=unit.id, phase_id=phase.id, now=now)
    locked = await reports_repo.lock_report(conn, report.id, FILLABLE_STATES, now,
                                            block_id=block.id)
    if locked is None:
        return False
    current = view.values.get(criterion.id)
    if current is not None and current.self_value == value:
        return True  # already what attendance says (the unit wrote it before it counted)
    await store_values(conn, view, locked, [(criterion, value)], actor_tg_id, now)
    if locked.state is ReportState.SUBMITTED:
        # The chair's screen of this report no longer shows its values: a new version.
        await reports_repo.set_report_fields(conn, locked.id)
    return True
