"""Activities, each unit's answer, attendance and check-ins.

An answer is written with a compare-and-set on its revision (the first one with an INSERT
that a second one for the same unit cannot repeat): of two representatives of one unit
answering at the same moment, one answer is kept and the other writer learns it lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.activities.records import Activity, Answer, Attendance, Checkin
from storage.activities.tables import (
    activities,
    activity_answers,
    activity_attendance,
    activity_checkins,
)


def _activity(row: Any) -> Activity:
    return Activity(**{k: row[k] for k in Activity.__dataclass_fields__})


def _answer(row: Any) -> Answer:
    return Answer(**{k: row[k] for k in Answer.__dataclass_fields__})


async def get_activity(conn: AsyncConnection, activity_id: int) -> Activity | None:
    query = select(activities).where(activities.c.id == activity_id)
    row = (await conn.execute(query)).mappings().first()
    return _activity(row) if row else None


async def block_activities(
    conn: AsyncConnection, block_id: int, *, states: Iterable[str] | None = None
) -> list[Activity]:
    """The block's activities by start time."""
    query = select(activities).where(activities.c.block_id == block_id)
    if states is not None:
        query = query.where(activities.c.state.in_(list(states)))
    query = query.order_by(activities.c.starts_at, activities.c.id)
    return [_activity(r) for r in (await conn.execute(query)).mappings()]


async def insert_activity(conn: AsyncConnection, values: dict[str, Any]) -> int:
    result = await conn.execute(insert(activities).values(**values))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def update_activity(conn: AsyncConnection, activity_id: int, **values: Any) -> None:
    await conn.execute(update(activities).where(activities.c.id == activity_id).values(**values))


async def claim_announcement(conn: AsyncConnection, activity_id: int, now: datetime) -> bool:
    """Mark the activity announced; False if another wake-up did it first."""
    result = await conn.execute(
        update(activities)
        .where(activities.c.id == activity_id, activities.c.announced_at.is_(None))
        .values(announced_at=now)
    )
    return bool(result.rowcount)


# --- answers ----------------------------------------------------------------------------

async def answers_of(conn: AsyncConnection, activity_id: int) -> dict[int, Answer]:
    """Each unit's answer, by unit id."""
    query = select(activity_answers).where(activity_answers.c.activity_id == activity_id)
    return {a.unit_id: a for a in map(_answer, (await conn.execute(query)).mappings())}


async def answers_of_block(conn: AsyncConnection, activity_ids: list[int]
                           ) -> dict[int, dict[int, Answer]]:
    """Answers of several activities: activity id -> unit id -> answer."""
    found: dict[int, dict[int, Answer]] = {i: {} for i in activity_ids}
    if activity_ids:
        query = select(activity_answers).where(activity_answers.c.activity_id.in_(activity_ids))
        for answer in map(_answer, (await conn.execute(query)).mappings()):
            found[answer.activity_id][answer.unit_id] = answer
    return found


async def answer_of(conn: AsyncConnection, activity_id: int, unit_id: int) -> Answer | None:
    query = select(activity_answers).where(activity_answers.c.activity_id == activity_id,
                                           activity_answers.c.unit_id == unit_id)
    row = (await conn.execute(query)).mappings().first()
    return _answer(row) if row else None


async def first_answer(conn: AsyncConnection, activity_id: int, unit_id: int,
                       values: dict[str, Any]) -> bool:
    """The unit's first answer; False (nothing written) if it already has one."""
    stmt = sqlite_insert(activity_answers).values(activity_id=activity_id, unit_id=unit_id,
                                                  revision=1, **values)
    result = await conn.execute(stmt.on_conflict_do_nothing(
        index_elements=["activity_id", "unit_id"]))
    return bool(result.rowcount)


async def change_answer(conn: AsyncConnection, activity_id: int, unit_id: int, revision: int,
                        values: dict[str, Any]) -> bool:
    """Change the unit's answer only while it is still at `revision`; the revision moves on."""
    result = await conn.execute(
        update(activity_answers)
        .where(activity_answers.c.activity_id == activity_id,
               activity_answers.c.unit_id == unit_id,
               activity_answers.c.revision == revision)
        .values(revision=activity_answers.c.revision + 1, **values)
    )
    return bool(result.rowcount)


# --- attendance and check-ins -----------------------------------------------------------

def _attendance(row: Any) -> Attendance:
    return Attendance(**{k: row[k] for k in Attendance.__dataclass_fields__})


async def attendance_of(conn: AsyncConnection, activity_id: int) -> dict[int, Attendance]:
    query = select(activity_attendance).where(activity_attendance.c.activity_id == activity_id)
    return {a.unit_id: a for a in map(_attendance, (await conn.execute(query)).mappings())}


async def attendance_of_many(conn: AsyncConnection, activity_ids: list[int]
                             ) -> dict[int, dict[int, Attendance]]:
    found: dict[int, dict[int, Attendance]] = {i: {} for i in activity_ids}
    if activity_ids:
        query = select(activity_attendance).where(
            activity_attendance.c.activity_id.in_(activity_ids))
        for row in map(_attendance, (await conn.execute(query)).mappings()):
            found[row.activity_id][row.unit_id] = row
    return found


async def set_attendance(conn: AsyncConnection, activity_id: int, unit_id: int, *,
                         attended: bool, source: str, by: int | None, now: datetime) -> None:
    values = {"attended": attended, "source": source, "marked_by": by, "marked_at": now}
    stmt = sqlite_insert(activity_attendance).values(activity_id=activity_id, unit_id=unit_id,
                                                     **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["activity_id", "unit_id"],
                                                  set_=values))


async def add_checkin(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """Store a check-in photo; False when the unit already sent this very file."""
    same = select(activity_checkins.c.id).where(
        activity_checkins.c.activity_id == values["activity_id"],
        activity_checkins.c.unit_id == values["unit_id"],
        activity_checkins.c.sha256 == values["sha256"])
    if (await conn.execute(same)).first() is not None:
        return False
    await conn.execute(insert(activity_checkins).values(**values))
    return True


async def checkins_of(conn: AsyncConnection, activity_id: int) -> list[Checkin]:
    query = (select(activity_checkins).where(activity_checkins.c.activity_id == activity_id)
             .order_by(activity_checkins.c.id))
    return [Checkin(**{k: r[k] for k in Checkin.__dataclass_fields__})
            for r in (await conn.execute(query)).mappings()]
