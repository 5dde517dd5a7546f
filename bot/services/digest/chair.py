"""The chair's digest: new representatives and submitted reports reach the chair units'
representatives as one message with a button per item, instead of one message each.

`[block] chair_digest`: "hourly" (the default) sends the first item of a quiet hour at
once and gathers what follows into one digest an hour after the last one; "daily" gathers
the day's items into one digest at 17:00; "immediate" sends each item at once. Items and
the planned digest are rows (storage.digest), written in the transaction of the event
itself, so a restart loses nothing and a digest is sent once; a digest due later is sent
with the reminder rounds (bot.services.reminders.due), which the bot's wake-up runs.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.clock import Clock
from bot.services.digest.wording import Standing, digest_buttons, digest_text
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage import digest as repo
from storage import members as members_repo
from storage.db import Database
from storage.digest.records import DigestItem
from storage.records import Block, Phase, Unit
from storage.reports.queries import units_without_submission

MODES = ("hourly", "daily", "immediate")
QUIET_HOUR = timedelta(hours=1)
DAILY_AT = time(17, 0)  # the end of the office's day


def mode_of(block: Block) -> str:
    mode = block.settings.get("chair_digest") or "hourly"
    return mode if mode in MODES else "hourly"


def _daily_due(block: Block, now: datetime) -> datetime:
    local = now.astimezone(block.tz)
    due = datetime.combine(local.date(), DAILY_AT, block.tz)
    return due if due > local else due + timedelta(days=1)


async def _standing(conn: AsyncConnection, block: Block, items: list[DigestItem]) -> Standing:
    tree = await blocks_repo.load_tree(conn, block)
    active = frozenset(m.tg_user_id for m in await members_repo.block_members(conn, block.id))
    handed: dict[int, int] = {}
    for phase_id in {int(i.details.get("phase_id", 0)) for i in items if i.kind == "submission"}:
        if any(p.id == phase_id for p in tree.phases):
            missing = await units_without_submission(conn, block, phase_id)
            handed[phase_id] = len(tree.units) - len(missing)
    registered = await blocks_repo.registered_unit_count(conn, block.id)
    return Standing(registered=registered, total=len(tree.units), handed_in=handed,
                    active=active)


async def _send(conn: AsyncConnection, texts: Catalog, block: Block, digest_id: int,
                now: datetime) -> int:
    """Send the digest with every item waiting (in the caller's transaction): to each
    chair representative the items that are not their own doing."""
    items = await repo.waiting_items(conn, block.id)
    messages = []
    if items:
        tree = await blocks_repo.load_tree(conn, block)
        standing = await _standing(conn, block, items)
        for to in await notify.chairs(conn, block):
            theirs = [i for i in items if i.tg_user_id != to.tg_user_id]
            if not theirs:
                continue
            messages.append(Outgoing(
                chat_id=to.chat_id, text=digest_text(texts, to.lang, tree, theirs, standing),
                buttons=digest_buttons(texts, to.lang, tree, theirs, standing),
                batch=f"digest:{block.id}", dedupe_key=f"digest:{digest_id}:{to.chat_id}",
                tg_user_id=to.tg_user_id, block_id=block.id))
    # A digest that told nobody (the chair's own registration) starts no quiet hour.
    if not await repo.mark_sent(conn, digest_id, [i.id for i in items], now,
                                told=bool(messages)):
        return 0
    return await enqueue(conn, messages, now) if messages else 0


async def _note(conn: AsyncConnection, texts: Catalog, block: Block, now: datetime,
                **item: Any) -> int:
    """Add an item; send the digest now if the block's rhythm says so, else make sure one
    is planned. Returns how many messages were queued (wake the outbox)."""
    await repo.add_item(conn, block_id=block.id, now=now, **item)
    if await repo.planned_digest(conn, block.id) is not None:
        return 0  # it waits for the digest already planned
    mode = mode_of(block)
    if mode == "daily":
        await repo.plan_digest(conn, block.id, _daily_due(block, now), now)
        return 0
    last = await repo.last_sent_at(conn, block.id)
    if mode == "hourly" and last is not None and now - last < QUIET_HOUR:
        await repo.plan_digest(conn, block.id, last + QUIET_HOUR, now)
        return 0
    digest_id = await repo.plan_digest(conn, block.id, now, now)
    return await _send(conn, texts, block, digest_id, now)


async def note_registration(conn: AsyncConnection, texts: Catalog, *, block: Block,
                            unit: Unit, tg_user_id: int, name: str, now: datetime) -> int:
    """A new representative: into the chair's digest (in the registration's transaction)."""
    return await _note(conn, texts, block, now, kind="registration", unit_id=unit.id,
                       tg_user_id=tg_user_id, subject_id=None, details={"name": name})


async def note_submission(conn: AsyncConnection, texts: Catalog, *, block: Block, unit: Unit,
                          phase: Phase, report_id: int, self_total: Decimal, late: bool,
                          resubmitted: bool, actor_tg_id: int, now: datetime) -> int:
    """A report handed in: into the chair's digest (in the submission's transaction)."""
    details = {"phase_id": phase.id, "self_total": str(self_total), "late": late,
               "resubmitted": resubmitted}
    return await _note(conn, texts, block, now, kind="submission", unit_id=unit.id,
                       tg_user_id=actor_tg_id, subject_id=report_id, details=details)


async def send_due_digests(db: Database, clock: Clock, texts: Catalog) -> int:
    """Send every planned digest whose time has come; how many messages were queued."""
    now = clock.now()
    async with db.read() as conn:
        due = await repo.due_digests(conn, now)
    queued = 0
    for digest in due:
        async with db.transaction() as conn:
            block = await blocks_repo.get_block(conn, digest.block_id)
            if block is not None:
                queued += await _send(conn, texts, block, digest.id, now)
    return queued
