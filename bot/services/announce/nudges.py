"""Reminding units that have not confirmed a notice: on the chair's request, at the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox import Outgoing, enqueue
from bot.runtime import Runtime
from bot.services.access import Caller
from bot.services.announce.copies import excerpt, reminder_copy
from bot.services.announce.stats import Standing, standing
from storage import announcements as repo
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.announcements import Announcement
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
    conn: AsyncConnection, runtime: Runtime, block: Block, announcement: Announcement,
    pending: tuple[Unit, ...], key: str, tag: str,
) -> tuple[list[Outgoing], int]:
    items: list[Outgoing] = []
    reached: set[int] = set()
    pending_ids = {u.id: u for u in pending}
    # A 403 already told the chair about the unreachable: a reminder would only fail again.
    reachable = [m for m in await members_repo.block_members(conn, block.id)
                 if m.unit_id in pending_ids and m.unreachable_since is None]
    languages = await prefs_repo.languages_of(conn, [m.tg_user_id for m in reachable])
    for member in reachable:
        unit = pending_ids[member.unit_id]
        lang = languages.get(member.tg_user_id, block.language)
        items.append(reminder_copy(
            runtime.texts, lang, block, announcement, key, unit_name=unit.name,
            chat_id=member.tg_user_id, batch=f"{announcement.batch}:{tag}",
            dedupe_key=f"{announcement.batch}:{tag}:u{member.tg_user_id}",
        ))
        reached.add(unit.id)
    return items, len(reached)


async def nudge(runtime: Runtime, caller: Caller, announcement_id: int) -> NudgeResult:
    """Re-send a short reminder to the representatives of units that have not confirmed."""
    now = runtime.clock.now()
    async with runtime.db.transaction() as conn:
        announcement = await repo.get_announcement(conn, announcement_id)
        block = caller.block
        if announcement is None or block is None or announcement.block_id != block.id:
            return NudgeResult(NudgeOutcome.UNKNOWN)
        if not caller.is_chair or not announcement.ask_ack:
            return NudgeResult(NudgeOutcome.NOBODY)
        state = await standing(conn, announcement, block)
        number = announcement.nudges + 1
        items, units = await _reminders(
            conn, runtime, block, announcement, state.pending_units, "announce-nudge",
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


async def handle_due_deadlines(runtime: Runtime) -> list[int]:
    """Past their confirmation deadline: one automatic nudge, and the list to the author."""
    now = runtime.clock.now()
    handled: list[int] = []
    async with runtime.db.read() as conn:
        due = await repo.due_deadlines(conn, now)
    for announcement in due:
        async with runtime.db.transaction() as conn:
            if not await repo.mark_deadline_done(conn, announcement.id, now):
                continue  # another wake-up got there first
            block = await blocks_repo.get_block(conn, announcement.block_id)
            assert block is not None
            state = await standing(conn, announcement, block)
            items, _ = await _reminders(
                conn, runtime, block, announcement, state.pending_units,
                "announce-deadline-nudge", "deadline",
            )
            items.append(await _deadline_report(conn, runtime, block, announcement, state))
            await enqueue(conn, items, now)
            await audit.record(
                conn, at=now, action="announce.deadline", block_id=block.id,
                subject=f"announcement:{announcement.id}",
                after={"pending": [u.code for u in state.pending_units]},
            )
        handled.append(announcement.id)
    return handled


async def _deadline_report(
    conn: AsyncConnection, runtime: Runtime, block: Block, announcement: Announcement,
    state: Standing,
) -> Outgoing:
    lang = await prefs_repo.language_of(conn, announcement.author_tg_id, block.language)
    params = {"id": announcement.id, "excerpt": excerpt(announcement),
              "total": len(state.ack_units), "acked": len(state.acks)}
    if state.pending_units:
        codes = ", ".join(u.code for u in state.pending_units)
        text = runtime.texts.text(lang, "announce-deadline-chair", codes=codes, **params)
    else:
        text = runtime.texts.text(lang, "announce-deadline-chair-all", **params)
    return Outgoing(
        chat_id=announcement.author_tg_id, text=text, batch=f"{announcement.batch}:deadline",
        dedupe_key=f"{announcement.batch}:deadline:author", tg_user_id=announcement.author_tg_id,
        block_id=block.id,
    )
