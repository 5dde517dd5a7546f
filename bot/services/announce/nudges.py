"""Reminding units that have not confirmed a notice: on the chair's request, at the deadline.

Each reminder and the author's list at the deadline are worded through bot.services.notify,
in their reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import Buttons
from bot.formatting import format_datetime
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.access import Caller
from bot.services.announce.copies import ack_keyboard, excerpt
from bot.services.announce.stats import Standing, standing
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import announcements as repo
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.announcements import Announcement
from storage.db import Database
from storage.records import Block, Unit

# A second press of "Nhắc lại" within this time is refused: a double tap must not send
# every unit two reminders.
NUDGE_COOLDOWN = timedelta(minutes=10)


class NudgeOutcome(StrEnum):
    SENT = "sent"
    NOBODY = "nobody"
    TOO_SOON = "too-soon"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NudgeResult:
    outcome: NudgeOutcome
    people: int = 0
    units: int = 0
    last_at: datetime | None = None


async def _reminders(
    conn: AsyncConnection, texts: Catalog, block: Block, announcement: Announcement,
    pending: tuple[Unit, ...], key: str, tag: str,
) -> tuple[list[Outgoing], int]:
    """A short reminder quoting the notice, with its "received" button, for every reachable
    representative of the pending units (in the order they joined); how many units."""
    pending_ids = {u.id: u for u in pending}
    # A 403 already told the chair about the unreachable: a reminder would only fail again.
    reachable = [m for m in await members_repo.block_members(conn, block.id)
                 if m.unit_id in pending_ids and m.unreachable_since is None]
    recipients = await notify.people(conn, block, reachable)
    quoted: dict[str, object] = {
        "excerpt": excerpt(announcement),
        "time": format_datetime(announcement.created_at, block.tz),
    }
    if announcement.ack_deadline is not None:
        quoted["deadline"] = format_datetime(announcement.ack_deadline, block.tz)
    batch = f"{announcement.batch}:{tag}"

    def button(lang: str) -> Buttons:
        return ack_keyboard(texts.text(lang, "announce-btn-ack"), announcement.id)

    items: list[Outgoing] = []
    for recipient, member in zip(recipients, reachable, strict=True):
        # The unit's name differs from one reader to the next: one reader at a time.
        items += notify.worded(
            texts, [recipient], key, block=block, batch=batch, dedupe=batch,
            params={"unit": pending_ids[member.unit_id].name, **quoted}, buttons=button,
        )
    return items, len({m.unit_id for m in reachable})


async def nudge(
    db: Database, clock: Clock, texts: Catalog, caller: Caller, announcement_id: int
) -> NudgeResult:
    """Re-send a short reminder to the representatives of units that have not confirmed."""
    now = clock.now()
    async with db.transaction() as conn:
        announcement = await repo.get_announcement(conn, announcement_id)
        block = caller.block
        if announcement is None or block is None or announcement.block_id != block.id:
            return NudgeResult(NudgeOutcome.UNKNOWN)
        if not caller.is_chair or not announcement.ask_ack:
            return NudgeResult(NudgeOutcome.NOBODY)
        state = await standing(conn, announcement, block)
        number = announcement.nudges + 1
        items, units = await _reminders(
            conn, texts, block, announcement, state.pending_units, "announce-nudge",
            f"nudge{number}",
        )
        if not items:
            return NudgeResult(NudgeOutcome.NOBODY)
        # Claimed last, with a condition in the UPDATE: of two overlapping presses only one
        # gets the number (the other's transaction sees the new last_nudge_at).
        if await repo.claim_nudge(conn, announcement.id, now, now - NUDGE_COOLDOWN) is None:
            return NudgeResult(NudgeOutcome.TOO_SOON, last_at=announcement.last_nudge_at)
        await enqueue(conn, items, now)
        await audit.record(
            conn, at=now, action="announce.nudge", block_id=block.id,
            actor_tg_id=caller.tg_user_id, subject=f"announcement:{announcement_id}",
            after={"units": [u.code for u in state.pending_units], "people": len(items)},
        )
    return NudgeResult(NudgeOutcome.SENT, people=len(items), units=units)


async def handle_due_deadlines(db: Database, clock: Clock, texts: Catalog) -> list[int]:
    """Past their confirmation deadline: one automatic nudge, and the list to the author."""
    now = clock.now()
    handled: list[int] = []
    async with db.read() as conn:
        due = await repo.due_deadlines(conn, now)
    for announcement in due:
        async with db.transaction() as conn:
            if not await repo.mark_deadline_done(conn, announcement.id, now):
                continue  # another wake-up got there first
            block = await blocks_repo.get_block(conn, announcement.block_id)
            assert block is not None
            state = await standing(conn, announcement, block)
            items, _ = await _reminders(
                conn, texts, block, announcement, state.pending_units,
                "announce-deadline-nudge", "deadline",
            )
            items += await _deadline_report(conn, texts, block, announcement, state)
            await enqueue(conn, items, now)
            await audit.record(
                conn, at=now, action="announce.deadline", block_id=block.id,
                subject=f"announcement:{announcement.id}",
                after={"pending": [u.code for u in state.pending_units]},
            )
        handled.append(announcement.id)
    return handled


async def _deadline_report(
    conn: AsyncConnection, texts: Catalog, block: Block, announcement: Announcement,
    state: Standing,
) -> list[Outgoing]:
    """The author's list of the units that did not confirm in time (or that all did)."""
    author = announcement.author_tg_id
    # The author may be a bot admin outside the block's units: their language, not a member's.
    lang = await prefs_repo.language_of(conn, author, block.language)
    params: dict[str, object] = {"id": announcement.id, "excerpt": excerpt(announcement),
                                 "total": len(state.ack_units), "acked": len(state.acks)}
    key = "announce-deadline-chair-all"
    if state.pending_units:
        key, params["codes"] = "announce-deadline-chair", ", ".join(
            u.code for u in state.pending_units)
    batch = f"{announcement.batch}:deadline"
    return notify.worded(texts, [notify.Recipient(author, lang, author)], key, block=block,
                         batch=batch, dedupe=f"{batch}:author", params=params)


async def next_deadline(db: Database, after: datetime | None = None) -> datetime | None:
    """When handle_due_deadlines next has something to do (strictly after `after` if
    given); None when no notice waits for its confirmation deadline."""
    async with db.read() as conn:
        return await repo.next_deadline_at(conn, after)
