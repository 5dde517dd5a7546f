"""Fire the reminder rows that are due: who still owes what, claimed exactly once.

A due row is claimed (state "sent") in the same transaction that enqueues its messages in
the outbox, and the outbox's dedupe keys name the row and the recipient. So a restart, two
overlapping wake-ups or a crash between two units never sends anyone the same reminder
twice; the outbox resumes what was enqueued.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.access import unit_has_chair_rights
from bot.services.clock import Clock
from bot.services.covenant.versions import load_state
from bot.services.scoring import is_optional
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import reminders as reminders_repo
from storage.covenant import CovenantVersion
from storage.db import Database
from storage.records import Block, BlockTree, Criterion, Member, Phase, Unit
from storage.reminders import ReminderRow
from storage.reports.queries import empty_criteria, units_without_submission

log = logging.getLogger(__name__)

# Rounds that remind units of something they owe; the others are notices to the group.
OWING_KINDS = ("report", "sign", "report-overdue", "sign-overdue")


@dataclass
class Round:
    """One due row, with everything needed to word its messages."""

    row: ReminderRow
    tree: BlockTree
    now: datetime
    phase: Phase | None = None
    owing: list[Unit] = field(default_factory=list)
    empty: dict[int, list[Criterion]] = field(default_factory=dict)
    members: dict[int, list[Member]] = field(default_factory=dict)  # by unit id
    chairs: list[Member] = field(default_factory=list)
    reported: int = 0  # phase-end: units whose report is in
    # sign rounds: the published version their button signs, read with who still owes,
    # so the wording needs no second look at the covenant in the same transaction
    covenant_version: CovenantVersion | None = None

    @property
    def block(self) -> Block:
        return self.tree.block

    @property
    def kind(self) -> str:
        return self.row.kind


Render = Callable[[AsyncConnection, Round], Awaitable[int]]


async def _owing(conn: AsyncConnection, rnd: Round) -> list[Unit] | None:
    """Units that still owe; None when the round cannot apply (nothing to sign yet)."""
    base = rnd.kind.removesuffix("-overdue")
    if base == "report":
        assert rnd.phase is not None
        return await units_without_submission(conn, rnd.block, rnd.phase.id)
    state = await load_state(conn, rnd.block)
    if state.version is None:
        return None  # the covenant was never published: nobody can sign yet
    rnd.covenant_version = state.version
    return state.unsigned_units()


async def _build(conn: AsyncConnection, row: ReminderRow, now: datetime) -> Round | None:
    block = await blocks_repo.get_block(conn, row.block_id)
    if block is None:
        return None
    tree = await blocks_repo.load_tree(conn, block)
    rnd = Round(row=row, tree=tree, now=now)
    rnd.phase = next((p for p in tree.phases if p.code == row.subject), None)
    if row.kind.startswith(("report", "phase")) and rnd.phase is None:
        return None  # the phase was removed from the block file
    all_members = await members_repo.block_members(conn, block.id)
    for member in all_members:
        rnd.members.setdefault(member.unit_id, []).append(member)
    rnd.chairs = [m for m in all_members if unit_has_chair_rights(block, tree.unit(m.unit_id))]
    if row.kind in OWING_KINDS:
        owing = await _owing(conn, rnd)
        if owing is None:
            return None
        rnd.owing = owing
        if row.kind == "report" and rnd.phase is not None:
            for unit in owing:
                missing = await empty_criteria(conn, block, unit.id, rnd.phase.id)
                rnd.empty[unit.id] = [c for c in missing if not is_optional(c)]
    elif row.kind == "phase-end" and rnd.phase is not None:
        rnd.reported = len(tree.units) - len(
            await units_without_submission(conn, block, rnd.phase.id)
        )
    return rnd


async def fire_due(db: Database, clock: Clock, render: Render) -> list[Round]:
    """Claim every due row and have `render` enqueue its messages, row by row."""
    now = clock.now()
    async with db.read() as conn:
        due = await reminders_repo.due(conn, now)
    latest: dict[tuple[int, str, str], ReminderRow] = {}
    for row in due:  # ordered by due time: the last one of a kind wins
        latest[(row.block_id, row.kind, row.subject)] = row
    fired: list[Round] = []
    for row in due:
        try:
            rnd = await _fire_one(db, row, latest, now, render)
        except _AlreadyClaimed:
            continue  # another wake-up sent it; what this one enqueued was rolled back
        except Exception:
            # One row that cannot be sent must not hold back the rows due after it: it
            # stays planned (its transaction rolled back) and the wake-up's safety net
            # tries it again.
            log.exception("reminder row %s (%s %s) failed; it stays planned",
                          row.id, row.kind, row.subject)
            continue
        if rnd is not None:
            fired.append(rnd)
    return fired


class _AlreadyClaimed(Exception):
    pass


async def _fire_one(
    db: Database,
    row: ReminderRow,
    latest: dict[tuple[int, str, str], ReminderRow],
    now: datetime,
    render: Render,
) -> Round | None:
    async with db.transaction() as conn:
        if latest[(row.block_id, row.kind, row.subject)] is not row:
            # Several offsets missed while the bot was down: one combined message.
            await reminders_repo.claim(conn, row.id, "merged", now)
            return None
        manual = row.offset.startswith("manual")
        if row.kind in ("report", "sign") and row.deadline <= now and not manual:
            if await reminders_repo.claim(conn, row.id, "dropped", now):
                log.warning(
                    "reminder %s %s %s dropped: its deadline passed while the bot was down",
                    row.kind,
                    row.subject,
                    row.offset,
                )
            return None
        rnd = await _build(conn, row, now)
        if rnd is None:
            await reminders_repo.claim(conn, row.id, "dropped", now)
            return None
        count = await render(conn, rnd)
        if not await reminders_repo.claim(conn, row.id, "sent", now, recipients=count):
            raise _AlreadyClaimed  # leaving the block rolls back what render enqueued
        return rnd
