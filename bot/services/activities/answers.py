"""A unit answers: «Tham gia» (then how many people, optionally their names) or «Không
tham gia» with a reason. One answer per unit, the first representative's; any of them may
change it until answer_by. The unit is always the caller's, read from the database: a
press from outside the block or on another unit's copy is refused and audited.

Every write is a compare-and-set on the answer's revision (storage.activities): of two
representatives answering at once one answer is kept and the other is told who answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.formatting import utf16_len
from bot.services.access import Caller
from bot.services.activities.callbacks import AnswerPress
from bot.services.activities.loaded import Loaded, load
from bot.services.clock import Clock
from storage import activities as repo
from storage import audit
from storage.activities.records import NO, YES, Answer
from storage.db import Database
from storage.records import Unit

REASON_MAX = 300  # a short reason, as the issue asks; a letter belongs in a document
NAMES_MAX = 1000
PEOPLE_MAX = 500  # more than any unit sends; catches a figure typed with extra zeros


class Outcome(StrEnum):
    RECORDED = "recorded"
    ASK_REASON = "ask-reason"  # «Không tham gia» pressed: the reason comes next
    CONFLICT = "conflict"  # another representative answered first or meanwhile
    ALREADY = "already"  # a group press for a unit that has answered: change it in private
    CLOSED = "closed"
    BAD = "bad"  # an empty or too long reason, a count out of range
    REFUSED = "refused"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AnswerResult:
    outcome: Outcome
    loaded: Loaded | None = None
    unit: Unit | None = None
    answer: Answer | None = None  # the unit's answer as it stands now
    revision: int = 0  # what the next step's buttons carry

    @property
    def activity_id(self) -> int | None:
        return self.loaded.activity.id if self.loaded else None


async def _refuse(conn: AsyncConnection, caller: Caller, now: datetime, action: str,
                  subject: str) -> AnswerResult:
    await audit.record_refusal(
        conn, at=now, action=action, actor_tg_id=caller.tg_user_id,
        block_id=caller.block.id if caller.block else None,
        actor_unit_id=caller.unit.id if caller.unit else None, subject=subject)
    return AnswerResult(Outcome.REFUSED)


async def _open(conn: AsyncConnection, caller: Caller, activity_id: int, now: datetime,
                press_unit: int | None = None) -> AnswerResult | tuple[Loaded, Unit]:
    """The activity and the caller's unit, or the result that ends the use case."""
    activity = await repo.get_activity(conn, activity_id)
    if activity is None:
        return AnswerResult(Outcome.UNKNOWN)
    subject = f"activity:{activity_id}"
    if caller.block is None or activity.block_id != caller.block.id or not caller.registered:
        return await _refuse(conn, caller, now, "activity.refused-outsider", subject)
    assert caller.unit is not None
    if press_unit is not None and press_unit != caller.unit.id:
        return await _refuse(conn, caller, now, "activity.refused-other-unit",
                             f"{subject}:unit:{press_unit}")
    loaded = await load(conn, activity_id, block_id=caller.block.id)
    unit = loaded.tree.unit(caller.unit.id) if loaded else None
    if loaded is None or unit is None:
        return await _refuse(conn, caller, now, "activity.refused-outsider", subject)
    if not loaded.activity.answers_open(now):
        return AnswerResult(Outcome.CLOSED, loaded, unit, loaded.answers.get(unit.id))
    return loaded, unit


async def _write(conn: AsyncConnection, caller: Caller, loaded: Loaded, unit: Unit,
                 revision: int, values: dict[str, Any], now: datetime) -> AnswerResult:
    """Write the unit's answer at `revision` (0: its first), audited; CONFLICT if it moved."""
    activity = loaded.activity
    old = loaded.answers.get(unit.id)
    assert caller.member is not None
    who = {"answered_by": caller.tg_user_id, "answered_name": caller.member.full_name,
           "answered_at": now}
    if revision == 0:
        wrote = await repo.first_answer(conn, activity.id, unit.id, {**values, **who})
    else:
        wrote = await repo.change_answer(conn, activity.id, unit.id, revision,
                                         {**values, **who})
    now_answer = await repo.answer_of(conn, activity.id, unit.id)
    if not wrote:
        return AnswerResult(Outcome.CONFLICT, loaded, unit, now_answer,
                            now_answer.revision if now_answer else 0)
    await audit.record(
        conn, at=now, action="activity.answer", block_id=activity.block_id,
        actor_tg_id=caller.tg_user_id, actor_unit_id=unit.id,
        subject=f"{activity.code}/{unit.code}",
        before=_plain(old), after=_plain(now_answer))
    assert now_answer is not None
    return AnswerResult(Outcome.RECORDED, loaded, unit, now_answer, now_answer.revision)


def _plain(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"answer": answer.answer, "people": answer.people, "names": answer.names,
            "reason": answer.reason, "revision": answer.revision}


async def press_answer(db: Database, clock: Clock, caller: Caller, press: AnswerPress
                       ) -> AnswerResult:
    """«Tham gia» records the unit's answer at once; «Không tham gia» asks for a reason."""
    now = clock.now()
    async with db.transaction() as conn:
        opened = await _open(conn, caller, press.activity_id, now, press.unit_id)
        if isinstance(opened, AnswerResult):
            return opened
        loaded, unit = opened
        current = loaded.answers.get(unit.id)
        shown = current.revision if current else 0
        if press.unit_id is None and current is not None:
            return AnswerResult(Outcome.ALREADY, loaded, unit, current, shown)
        if press.unit_id is not None and press.revision != shown:
            return AnswerResult(Outcome.CONFLICT, loaded, unit, current, shown)
        if not press.yes:
            return AnswerResult(Outcome.ASK_REASON, loaded, unit, current, shown)
        if current is not None and current.coming:
            return AnswerResult(Outcome.RECORDED, loaded, unit, current, shown)
        values = {"answer": YES, "people": None, "names": None, "reason": None}
        return await _write(conn, caller, loaded, unit, shown, values, now)


async def give_reason(db: Database, clock: Clock, caller: Caller, activity_id: int,
                      revision: int, reason: str) -> AnswerResult:
    """«Không tham gia» with its reason (required, short), at the revision it was asked at."""
    text = " ".join(reason.split())
    now = clock.now()
    async with db.transaction() as conn:
        opened = await _open(conn, caller, activity_id, now)
        if isinstance(opened, AnswerResult):
            return opened
        loaded, unit = opened
        if not text or utf16_len(text) > REASON_MAX:
            return AnswerResult(Outcome.BAD, loaded, unit, loaded.answers.get(unit.id),
                                revision)
        values = {"answer": NO, "people": None, "names": None, "reason": text}
        return await _write(conn, caller, loaded, unit, revision, values, now)


async def _open_coming(conn: AsyncConnection, caller: Caller, activity_id: int,
                       revision: int, now: datetime) -> AnswerResult | tuple[Loaded, Unit, Answer]:
    """The unit's «Tham gia» answer at this revision, for a follow-up step (people, names);
    an AnswerResult when the activity is closed to the caller or the answer moved on."""
    opened = await _open(conn, caller, activity_id, now)
    if isinstance(opened, AnswerResult):
        return opened
    loaded, unit = opened
    current = loaded.answers.get(unit.id)
    if current is None or not current.coming or current.revision != revision:
        return AnswerResult(Outcome.CONFLICT, loaded, unit, current,
                            current.revision if current else 0)
    return loaded, unit, current


async def give_people(db: Database, clock: Clock, caller: Caller, activity_id: int,
                      revision: int, count: int) -> AnswerResult:
    """How many people the unit sends (after «Tham gia»)."""
    now = clock.now()
    async with db.transaction() as conn:
        opened = await _open_coming(conn, caller, activity_id, revision, now)
        if isinstance(opened, AnswerResult):
            return opened
        loaded, unit, current = opened
        if not 1 <= count <= PEOPLE_MAX:
            return AnswerResult(Outcome.BAD, loaded, unit, current, revision)
        return await _write(conn, caller, loaded, unit, revision,
                            {"answer": YES, "people": count}, now)


async def give_names(db: Database, clock: Clock, caller: Caller, activity_id: int,
                     revision: int, names: str) -> AnswerResult:
    """The names of who comes, one per line (optional)."""
    lines = [" ".join(line.split()) for line in names.splitlines()]
    text = ", ".join(line for line in lines if line)
    now = clock.now()
    async with db.transaction() as conn:
        opened = await _open_coming(conn, caller, activity_id, revision, now)
        if isinstance(opened, AnswerResult):
            return opened
        loaded, unit, current = opened
        if not text or utf16_len(text) > NAMES_MAX:
            return AnswerResult(Outcome.BAD, loaded, unit, current, revision)
        return await _write(conn, caller, loaded, unit, revision,
                            {"answer": YES, "names": text}, now)
