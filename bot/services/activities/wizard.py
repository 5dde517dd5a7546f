"""/activity new: the chair's short wizard (title, kind, time, place, answer-by, criterion,
preview), its draft kept in the database so a restart continues where it was.

Each step validates what was typed or pressed; at the end everything is checked again
(the start not in the past, answer_by not after the start, a criterion attendance can
fill) and only then is the activity created, planned and announced, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.blockfile.activities import ACTIVITY_KINDS, FILLABLE_KINDS, PLACE_MAX, TITLE_MAX
from bot.formatting import utf16_len
from bot.services.access import Caller
from bot.services.activities import callbacks
from bot.services.activities.delivery import announce
from bot.services.activities.loaded import Loaded, criterion_of, load, phase_on
from bot.services.activities.moments import parse_deadline, parse_moment
from bot.services.activities.schedule import plan_activity
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import activities as repo
from storage import audit
from storage import blocks as blocks_repo
from storage.activities import fills as drafts_repo
from storage.activities import plan as plan_repo
from storage.activities.records import OPEN
from storage.db import Database
from storage.records import BlockTree, Criterion

STEPS = ("title", "kind", "starts", "place", "answer_by", "criterion", "preview")
# After a restart the wizard's next typed step is read from the draft, but only this soon
# after the chair's last step: an old, abandoned draft must not swallow an unrelated text.
RESUME_WITHIN = timedelta(hours=1)
TYPED_STEPS = ("title", "starts", "place", "answer_by")


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too-long"
    NOT_A_TIME = "not-a-time"
    PAST = "past"
    END_BEFORE_START = "end-before-start"
    ANSWER_PAST = "answer-past"
    ANSWER_AFTER_START = "answer-after-start"
    CRITERION = "criterion"  # unknown, or a kind attendance cannot fill
    NO_PHASE = "no-phase"
    STALE = "stale"  # a press on a step the draft is no longer at


@dataclass(frozen=True)
class Screen:
    """What the wizard shows next."""

    step: str  # a STEPS value; "done" once created, "cancelled", "none" without a draft
    data: dict[str, Any] = field(default_factory=dict)
    tree: BlockTree | None = None
    problems: tuple[Problem, ...] = ()
    created: Loaded | None = None

    @property
    def fillable(self) -> list[Criterion]:
        return fillable_criteria(self.tree) if self.tree else []


def fillable_criteria(tree: BlockTree) -> list[Criterion]:
    return [c for c in tree.criteria if c.kind in FILLABLE_KINDS]


def check_all(tree: BlockTree, data: dict[str, Any], now: datetime) -> list[Problem]:
    """Everything the finished draft must satisfy (checked again at creation)."""
    found = []
    starts = datetime.fromisoformat(data["starts"])
    ends = datetime.fromisoformat(data["ends"]) if data.get("ends") else None
    answer_by = datetime.fromisoformat(data["answer_by"])
    if starts <= now:
        found.append(Problem.PAST)
    if ends is not None and ends <= starts:
        found.append(Problem.END_BEFORE_START)
    if answer_by <= now:
        found.append(Problem.ANSWER_PAST)
    if answer_by > starts:
        found.append(Problem.ANSWER_AFTER_START)
    code = data.get("criterion")
    if code:
        criterion = criterion_of(tree, code)
        if criterion is None or criterion.kind not in FILLABLE_KINDS:
            found.append(Problem.CRITERION)
        elif phase_on(tree, starts.astimezone(tree.block.tz).date()) is None:
            found.append(Problem.NO_PHASE)
    return found


async def _tree(conn: AsyncConnection, caller: Caller) -> BlockTree:
    assert caller.block is not None
    return await blocks_repo.load_tree(conn, caller.block)


async def begin(db: Database, clock: Clock, caller: Caller) -> Screen:
    """A fresh draft (an older one is dropped), asking for the title."""
    assert caller.block is not None
    async with db.transaction() as conn:
        await drafts_repo.save_draft(conn, caller.tg_user_id, caller.block.id, "title", {},
                                     clock.now())
        return Screen("title", {}, await _tree(conn, caller))


async def resumable(db: Database, clock: Clock, caller: Caller) -> Screen:
    """The caller's draft as it stands, if touched within RESUME_WITHIN ("none" without
    one, or one of another block)."""
    async with db.read() as conn:
        draft = await drafts_repo.get_draft(conn, caller.tg_user_id)
        if draft is None or caller.block is None or draft.block_id != caller.block.id:
            return Screen("none")
        if draft.updated_at < clock.now() - RESUME_WITHIN:
            return Screen("none")
        return Screen(draft.step, draft.data, await _tree(conn, caller))


def _next(step: str) -> str:
    return STEPS[STEPS.index(step) + 1]


def _read_typed(step: str, text: str, data: dict[str, Any], tree: BlockTree, now: datetime
                ) -> dict[str, Any] | Problem:
    tz = tree.block.tz
    clean = " ".join(text.split())
    if not clean:
        return Problem.EMPTY
    if step in ("title", "place"):
        limit = TITLE_MAX if step == "title" else PLACE_MAX
        return Problem.TOO_LONG if utf16_len(clean) > limit else {step: clean}
    if step == "starts":
        moment = parse_moment(clean, tz)
        if moment is None:
            return Problem.NOT_A_TIME
        if moment.start <= now:
            return Problem.PAST
        if moment.end is not None and moment.end <= moment.start:
            return Problem.END_BEFORE_START
        return {"starts": moment.start.isoformat(),
                "ends": moment.end.isoformat() if moment.end else None}
    deadline = parse_deadline(clean, tz)
    if deadline is None:
        return Problem.NOT_A_TIME
    if deadline <= now:
        return Problem.ANSWER_PAST
    if deadline > datetime.fromisoformat(data["starts"]):
        return Problem.ANSWER_AFTER_START
    return {"answer_by": deadline.isoformat()}


async def typed(db: Database, clock: Clock, caller: Caller, text: str) -> Screen:
    """What the chair typed for the step the draft is at."""
    now = clock.now()
    async with db.transaction() as conn:
        draft = await drafts_repo.get_draft(conn, caller.tg_user_id)
        if draft is None or caller.block is None or draft.block_id != caller.block.id:
            return Screen("none")
        tree = await _tree(conn, caller)
        if draft.step not in TYPED_STEPS:
            return Screen(draft.step, draft.data, tree, (Problem.STALE,))
        read = _read_typed(draft.step, text, draft.data, tree, now)
        if isinstance(read, Problem):
            return Screen(draft.step, draft.data, tree, (read,))
        data, step = {**draft.data, **read}, _next(draft.step)
        await drafts_repo.save_draft(conn, caller.tg_user_id, caller.block.id, step, data, now)
        return Screen(step, data, tree)


async def pressed(db: Database, clock: Clock, caller: Caller, action: str, arg: str,
                  *, calendar_dir: Path, texts: Catalog) -> Screen:
    """A wizard button: the kind, the criterion, skipping the place, create or cancel."""
    now = clock.now()
    async with db.transaction() as conn:
        draft = await drafts_repo.get_draft(conn, caller.tg_user_id)
        if draft is None or caller.block is None or draft.block_id != caller.block.id:
            return Screen("none")
        tree = await _tree(conn, caller)
        step, data = draft.step, dict(draft.data)
        if action == callbacks.WIZARD_CANCEL:
            await drafts_repo.drop_draft(conn, caller.tg_user_id)
            return Screen("cancelled", data, tree)
        if action == callbacks.WIZARD_KIND and step == "kind" and arg in ACTIVITY_KINDS:
            data["kind"] = arg
        elif action == callbacks.WIZARD_SKIP and step == "place" and arg == "place":
            data["place"] = None
        elif action == callbacks.WIZARD_CRITERION and step == "criterion":
            chosen = None if arg == "none" else next(
                (c for c in fillable_criteria(tree) if str(c.id) == arg), None)
            if arg != "none" and chosen is None:
                return Screen(step, data, tree, (Problem.CRITERION,))
            data["criterion"] = chosen.code if chosen else None
            problems = [p for p in check_all(tree, data, now) if p is Problem.NO_PHASE]
            if problems:
                return Screen(step, data, tree, tuple(problems))
        elif action == callbacks.WIZARD_CREATE and step == "preview":
            return await _create(conn, texts, caller, tree, data, now, calendar_dir)
        else:
            return Screen(step, data, tree, (Problem.STALE,))
        step = _next(step)
        await drafts_repo.save_draft(conn, caller.tg_user_id, caller.block.id, step, data, now)
        return Screen(step, data, tree)


async def _create(conn: AsyncConnection, texts: Catalog, caller: Caller, tree: BlockTree,
                  data: dict[str, Any], now: datetime, calendar_dir: Path) -> Screen:
    problems = check_all(tree, data, now)
    if problems:  # time went by on the preview: nothing is saved, the chair is told why
        return Screen("preview", data, tree, tuple(problems))
    block = tree.block
    activity_id = await repo.insert_activity(conn, {
        "block_id": block.id, "code": f"new-{caller.tg_user_id}-{now.timestamp()}",
        "source": "chat", "title": data["title"], "kind": data["kind"],
        "place": data.get("place"), "starts_at": datetime.fromisoformat(data["starts"]),
        "ends_at": datetime.fromisoformat(data["ends"]) if data.get("ends") else None,
        "answer_by": datetime.fromisoformat(data["answer_by"]),
        "criterion_code": data.get("criterion"), "state": OPEN, "created_by": caller.tg_user_id,
        "created_at": now, "updated_at": now,
    })
    # A short code people can read (HD + id), unique in the block like the file's codes.
    await repo.update_activity(conn, activity_id, code=f"HD{activity_id}")
    loaded = await load(conn, activity_id)
    assert loaded is not None
    await plan_activity(conn, loaded.activity, block, now)
    # Announced at once (the announce row is claimed as sent with what it queued).
    await repo.claim_announcement(conn, activity_id, now)
    count = await announce(conn, texts, loaded, now, calendar_dir)
    for row in await plan_repo.rows_of(conn, activity_id):
        if row.kind == "announce":
            await plan_repo.claim(conn, row.id, "sent", now, recipients=count)
    await audit.record(conn, at=now, action="activity.created", block_id=block.id,
                       actor_tg_id=caller.tg_user_id,
                       actor_unit_id=caller.unit.id if caller.unit else None,
                       subject=loaded.activity.code, after=data)
    await drafts_repo.drop_draft(conn, caller.tg_user_id)
    return Screen("done", data, tree, created=loaded)
