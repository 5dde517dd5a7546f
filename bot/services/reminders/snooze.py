"""«⏰ Nhắc lại sau»: the person who pressed it gets the same reminder again later — in two
hours, or on the next working morning when that falls outside working hours or in the
quiet hours — and never after the deadline.

The press plans a row (storage.reminders.snoozes) after checking, from the database, that
the presser's unit still owes the thing; `send_due_snoozes` (called with the reminder
rounds, bot.services.reminders.due) words it again as it stands then, or drops it when the
unit has done it meanwhile or a scheduled round reminded them since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, Buttons
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.clock import Clock
from bot.services.covenant.state import load_state
from bot.services.reminders.callbacks import SnoozePress
from bot.services.reminders.plan import covenant_deadline
from bot.services.reminders.rounds import Round
from bot.services.reminders.texts import late_accepted, unit_buttons, unit_text
from bot.services.reminders.timing import ReminderSettings
from bot.services.reminders.wording import deadline_text, returned_buttons
from bot.services.scoring import is_optional
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage import members as members_repo
from storage import reminders as reminders_repo
from storage import reports as reports_repo
from storage.db import Database
from storage.records import Block, BlockTree, Member, Phase, Unit
from storage.reminders import snoozes as snoozes_repo
from storage.reminders.records import ReminderRow, Snooze
from storage.reports.queries import empty_criteria, units_without_submission
from storage.reports.records import ReportState

SNOOZE_FOR = timedelta(hours=2)
WORKDAY_END = time(17, 0)  # the office's day ends; later, the reminder waits for morning
# The reminder comes at least this long before the deadline, so there is time to act.
BEFORE_DEADLINE = timedelta(minutes=30)
# A later reminder sooner than this is no reminder at all: do it now.
SHORTEST = timedelta(minutes=15)
_SATURDAY = 5


def _working(local: datetime, cfg: ReminderSettings) -> bool:
    if cfg.skip_weekends and local.weekday() >= _SATURDAY:
        return False
    if cfg.quiet is not None and cfg.quiet.contains(local.time()):
        return False
    return cfg.at <= local.time() <= WORKDAY_END


def _next_morning(local: datetime, cfg: ReminderSettings) -> datetime:
    day = local.date() if local.time() < cfg.at else local.date() + timedelta(days=1)
    while cfg.skip_weekends and day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return datetime.combine(day, cfg.at, local.tzinfo)


def snooze_until(now: datetime, deadline: datetime | None, block: Block) -> datetime | None:
    """When a reminder snoozed at `now` comes again (UTC); None when the deadline is too
    close for any later reminder to help."""
    cfg = ReminderSettings.from_block(block.settings.get("reminders") or {})
    local = (now + SNOOZE_FOR).astimezone(block.tz)
    if not _working(local, cfg):
        local = _next_morning(local, cfg)
    when = local.astimezone(UTC)
    if deadline is not None and deadline > now:
        when = min(when, deadline - BEFORE_DEADLINE)
    return when if when - now >= SHORTEST else None


class Snoozed(StrEnum):
    PLANNED = "planned"
    NOTHING = "nothing"  # the unit has done it: nothing to remind of
    TOO_CLOSE = "too-close"  # the deadline is too near
    REFUSED = "refused"  # not a reminder of the presser's unit


@dataclass(frozen=True)
class SnoozeResult:
    outcome: Snoozed
    block: Block | None = None
    until: datetime | None = None
    deadline: datetime | None = None


@dataclass
class _Owed:
    """What the press (or the snooze row) is about, and whether it is still owed."""

    block: Block
    tree: BlockTree
    unit: Unit
    member: Member
    owed: bool
    deadline: datetime | None = None  # a deadline still ahead, if any
    phase: Phase | None = None
    round: Round | None = None  # report and sign: a one-unit round, for the wording
    reason: str = ""  # returned: the chair's reason


def _one_unit_round(block: Block, tree: BlockTree, unit: Unit, kind: str, subject: str,
                    deadline: datetime, now: datetime) -> Round:
    row = ReminderRow(id=0, block_id=block.id, kind=kind, subject=subject, offset="snooze",
                      deadline=deadline, due_at=now, state="planned", done_at=None,
                      recipients=None)
    return Round(row=row, tree=tree, now=now, owing=[unit])


async def _member_of(conn: AsyncConnection, block_id: int, tg_user_id: int
                     ) -> tuple[Block, BlockTree, Unit, Member] | None:
    member = await members_repo.get_membership(conn, block_id, tg_user_id)
    block = await blocks_repo.get_block(conn, block_id)
    if member is None or not member.active or block is None:
        return None
    tree = await blocks_repo.load_tree(conn, block)
    unit = tree.unit(member.unit_id)
    return (block, tree, unit, member) if unit is not None else None


async def _report_owed(conn: AsyncConnection, press: SnoozePress, tg_user_id: int,
                       now: datetime) -> _Owed | None:
    for membership in await members_repo.memberships_of(conn, tg_user_id):
        found = await _member_of(conn, membership.block_id, tg_user_id)
        if found is None:
            continue
        block, tree, unit, member = found
        phase = next((p for p in tree.phases if p.id == press.subject_id), None)
        if phase is None:
            continue
        ahead = phase.report_due > now
        missing = {u.id for u in await units_without_submission(conn, block, phase.id)}
        owed = unit.id in missing and (ahead or late_accepted(block))
        rnd = _one_unit_round(block, tree, unit, "report" if ahead else "report-overdue",
                              phase.code, phase.report_due, now)
        rnd.phase = phase
        if ahead:
            empty = await empty_criteria(conn, block, unit.id, phase.id)
            rnd.empty[unit.id] = [c for c in empty if not is_optional(c)]
        return _Owed(block, tree, unit, member, owed, phase.report_due if ahead else None,
                     phase, rnd)
    return None


async def _sign_owed(conn: AsyncConnection, press: SnoozePress, tg_user_id: int,
                     now: datetime) -> _Owed | None:
    version = await covenant_repo.get_version(conn, press.subject_id)
    found = await _member_of(conn, version.block_id, tg_user_id) if version else None
    if found is None:
        return None
    block, tree, unit, member = found
    state = await load_state(conn, block)
    owed = (state.version is not None and state.version.id == press.subject_id
            and unit.id not in state.signatures)
    due = covenant_deadline(block)
    ahead = due is not None and due > now
    rnd = _one_unit_round(block, tree, unit, "sign" if ahead else "sign-overdue", "covenant",
                          due or now, now)
    rnd.covenant_version = state.version
    return _Owed(block, tree, unit, member, owed, due if ahead else None, round=rnd)


async def _returned_owed(conn: AsyncConnection, press: SnoozePress, tg_user_id: int,
                         now: datetime) -> _Owed | None:
    report = await reports_repo.get_report(conn, press.subject_id)
    found = await _member_of(conn, report.block_id, tg_user_id) if report else None
    if report is None or found is None or found[2].id != report.unit_id:
        return None
    block, tree, unit, member = found
    phase = next((p for p in tree.phases if p.id == report.phase_id), None)
    if phase is None:
        return None
    owed = report.state is ReportState.RETURNED
    deadline = phase.report_due if phase.report_due > now else None
    return _Owed(block, tree, unit, member, owed, deadline, phase,
                 reason=report.return_reason or "")


async def _owed(conn: AsyncConnection, press: SnoozePress, tg_user_id: int, now: datetime
                ) -> _Owed | None:
    if press.kind == "report":
        return await _report_owed(conn, press, tg_user_id, now)
    if press.kind == "sign":
        return await _sign_owed(conn, press, tg_user_id, now)
    return await _returned_owed(conn, press, tg_user_id, now)


async def snooze(db: Database, clock: Clock, *, tg_user_id: int, press: SnoozePress
                 ) -> SnoozeResult:
    """«⏰ Nhắc lại sau» pressed: plan the same reminder again for this person."""
    now = clock.now()
    async with db.transaction() as conn:
        owed = await _owed(conn, press, tg_user_id, now)
        if owed is None:
            return SnoozeResult(Snoozed.REFUSED)
        if not owed.owed:
            return SnoozeResult(Snoozed.NOTHING, owed.block)
        until = snooze_until(now, owed.deadline, owed.block)
        if until is None:
            return SnoozeResult(Snoozed.TOO_CLOSE, owed.block, deadline=owed.deadline)
        await snoozes_repo.plan_snooze(
            conn, block_id=owed.block.id, unit_id=owed.unit.id, tg_user_id=tg_user_id,
            kind=press.kind, subject_id=press.subject_id, deadline=owed.deadline,
            due_at=until, now=now)
    return SnoozeResult(Snoozed.PLANNED, owed.block, until, owed.deadline)


def _wording(texts: Catalog, lang: str, press: SnoozePress, owed: _Owed) -> tuple[str, Buttons]:
    again = texts.text(lang, "remind-again")
    if owed.round is not None:
        rnd = owed.round
        return (f"{again}\n{unit_text(texts, lang, rnd, owed.unit)}",
                unit_buttons(texts, lang, rnd, owed.unit))
    assert owed.phase is not None
    text = texts.text(lang, "remind-returned-again", phase=owed.phase.name, reason=owed.reason)
    return f"{again}\n{text}", returned_buttons(texts, lang, owed.phase.id, press.subject_id)


_ROUND_OF = {"report": ("report", "report-overdue"), "sign": ("sign", "sign-overdue")}


async def _send_one(conn: AsyncConnection, texts: Catalog, row: Snooze, now: datetime
                    ) -> bool:
    press = SnoozePress(row.kind, row.subject_id)  # type: ignore[arg-type]
    owed = await _owed(conn, press, row.tg_user_id, now)
    if owed is None or not owed.owed:  # done meanwhile, or no longer theirs to do
        await snoozes_repo.close_snooze(conn, row, snoozes_repo.DROPPED, now)
        return False
    if row.kind in _ROUND_OF:
        subject = owed.phase.code if owed.phase is not None else "covenant"
        if await reminders_repo.sent_since(conn, owed.block.id, _ROUND_OF[row.kind], subject,
                                           row.created_at):
            # A scheduled round reminded them after they snoozed: that one stands.
            await snoozes_repo.close_snooze(conn, row, snoozes_repo.DROPPED, now)
            return False
    [to] = await notify.people(conn, owed.block, [owed.member])
    text, buttons = _wording(texts, to.lang, press, owed)
    if not await snoozes_repo.close_snooze(conn, row, snoozes_repo.SENT, now):
        return False
    key = f"snooze:{row.id}:{row.due_at:%Y%m%d%H%M%S}"
    await enqueue(conn, [Outgoing(chat_id=to.chat_id, text=text, buttons=buttons or NO_BUTTONS,
                                  batch=f"snooze:{row.block_id}", dedupe_key=key,
                                  tg_user_id=to.tg_user_id, block_id=row.block_id)], now)
    return True


async def send_due_snoozes(db: Database, clock: Clock, texts: Catalog) -> int:
    """Send every snoozed reminder whose time has come; how many went out."""
    now = clock.now()
    async with db.read() as conn:
        due = await snoozes_repo.due_snoozes(conn, now)
    sent = 0
    for row in due:
        async with db.transaction() as conn:
            sent += await _send_one(conn, texts, row, now)
    return sent


def snoozed_until_text(block: Block, when: datetime, lang: str) -> str:
    return deadline_text(block, when, lang)
