"""Reading the year's activities: /activities, one activity's details, the /export sheet,
and `activities_of` for whoever writes about the year (the review report): plain records
with every unit's answer and who took part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.services.access import Caller
from bot.services.activities.loaded import Loaded, load, phase_on
from bot.services.clock import Clock
from storage import activities as repo
from storage import blocks as blocks_repo
from storage.activities.records import OPEN, Activity, Answer, Attendance
from storage.db import Database
from storage.records import Block, BlockTree


@dataclass(frozen=True)
class UnitPart:
    """One unit in one activity."""

    unit_code: str
    unit_name: str
    answer: str | None  # "yes", "no", or None (no answer)
    people: int | None
    names: str | None
    reason: str | None
    attended: bool | None  # None until the chair has taken the attendance

    @property
    def took_part(self) -> bool:
        return bool(self.attended)


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    code: str
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    place: str | None
    answer_by: datetime
    criterion_code: str | None
    phase_code: str | None
    cancelled: bool
    attendance_taken: bool
    units: tuple[UnitPart, ...]

    @property
    def took_part(self) -> tuple[UnitPart, ...]:
        """The units that attended (once the attendance is taken), else none."""
        return tuple(u for u in self.units if u.took_part)

    @property
    def coming(self) -> tuple[UnitPart, ...]:
        return tuple(u for u in self.units if u.answer == "yes")


def _record(tree: BlockTree, activity: Activity, answers: dict[int, Answer],
            attendance: dict[int, Attendance]) -> ActivityRecord:
    taken = activity.attendance_at is not None
    parts = []
    for unit in tree.units:
        answer = answers.get(unit.id)
        row = attendance.get(unit.id)
        parts.append(UnitPart(
            unit.code, unit.name, answer.answer if answer else None,
            answer.people if answer else None, answer.names if answer else None,
            answer.reason if answer else None,
            (row is not None and row.attended) if taken else None))
    phase = phase_on(tree, activity.starts_at.astimezone(tree.block.tz).date())
    return ActivityRecord(
        activity.id, activity.code, activity.title, activity.kind, activity.starts_at,
        activity.ends_at, activity.place, activity.answer_by, activity.criterion_code,
        phase.code if phase else None, activity.state != OPEN, taken, tuple(parts))


async def activities_of(db: Database, block_id: int, phase: str | None = None, *,
                        cancelled: bool = False) -> list[ActivityRecord]:
    """The block's activities by start time (those of phase code `phase` only, if given),
    each with every unit's answer and attendance. Cancelled ones only if asked."""
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, block_id)
        if block is None:
            return []
        tree = await blocks_repo.load_tree(conn, block)
        found = [a for a in await repo.block_activities(conn, block_id)
                 if cancelled or a.state == OPEN]
        ids = [a.id for a in found]
        answers = await repo.answers_of_block(conn, ids)
        attendance = await repo.attendance_of_many(conn, ids)
    records = [_record(tree, a, answers[a.id], attendance[a.id]) for a in found]
    return [r for r in records if phase is None or r.phase_code == phase]


@dataclass(frozen=True)
class Listed:
    activity: Activity
    answered: int
    coming: int
    total: int


@dataclass(frozen=True)
class Listing:
    block: Block
    coming: tuple[Listed, ...]
    past: tuple[Listed, ...]


async def list_activities(db: Database, clock: Clock, block: Block) -> Listing:
    """/activities: the coming ones (soonest first), then the past ones (latest first)."""
    now = clock.now()
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        found = await repo.block_activities(conn, block.id, states=[OPEN])
        answers = await repo.answers_of_block(conn, [a.id for a in found])
    listed = [Listed(a, len(answers[a.id]), sum(1 for x in answers[a.id].values() if x.coming),
                     len(tree.units)) for a in found]
    coming = tuple(x for x in listed if (x.activity.ends_at or x.activity.starts_at) >= now)
    past = tuple(reversed([x for x in listed if x not in coming]))
    return Listing(block, coming, past)


@dataclass(frozen=True)
class Detail:
    loaded: Loaded
    is_chair: bool
    unit_id: int | None  # the caller's unit
    attendance: dict[int, Attendance]


async def detail(db: Database, caller: Caller, activity_id: int) -> Detail | None:
    """One activity of the caller's block (None if it is not one)."""
    if caller.block is None:
        return None
    async with db.read() as conn:
        loaded = await load(conn, activity_id, block_id=caller.block.id)
        if loaded is None:
            return None
        attendance = await repo.attendance_of(conn, activity_id)
    return Detail(loaded, caller.is_chair, caller.unit.id if caller.unit else None, attendance)
