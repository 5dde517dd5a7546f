"""The group's progress message: one per phase, pinned, edited in place as units sign and
report, instead of one post per signature and per submission.

The message is posted through the outbox when the phase starts (the phase-start round),
or at the first signature when no phase has started yet ("covenant"). Every change that
moves a count calls `refresh` in its own transaction: the text is rendered again and, if
it changed, an edit is queued in the outbox (bot.outbox: `Outgoing.edit_message_id`), so
the change and the edit commit together and the outbox paces edits with the group's other
messages. A change made before the post was delivered is edited in by `post_delivered`,
the outbox hook (handlers.group), which also hands out the pins to make: the new phase's
message pinned, the one it took over from unpinned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox import Delivery, Outgoing, State, enqueue
from bot.services.clock import Clock
from bot.services.covenant.state import CovenantState, load_state
from bot.services.progress.texts import Counts, phase_head, post_text
from bot.services.reminders.plan import covenant_deadline
from bot.services.status import current_phase
from bot.texts import Catalog
from storage import progress as repo
from storage.db import Database
from storage.progress.records import ProgressPost
from storage.records import Block, Phase
from storage.reports.queries import units_without_submission

COVENANT = "covenant"  # the subject of a progress message before the first phase
BATCH_PREFIX = "progress:"
_BATCH = re.compile(rf"{re.escape(BATCH_PREFIX)}([0-9]{{1,18}})")
POST_SUFFIX = ":post"


def post_batch(post_id: int) -> str:
    return f"{BATCH_PREFIX}{post_id}"


def post_of_batch(batch: str) -> int | None:
    found = _BATCH.fullmatch(batch)
    return int(found.group(1)) if found else None


def _shows_covenant(state: CovenantState, phase: Phase | None) -> bool:
    """The covenant's count belongs on a phase's message while units still sign, or when
    its deadline falls in the phase; later phases leave it out."""
    if state.version is None:
        return False
    if phase is None or state.signed < state.total:
        return True
    sign_by = covenant_deadline(state.block)
    return sign_by is not None and phase.start <= sign_by.astimezone(
        state.block.tz).date() <= phase.end


async def _counts(conn: AsyncConnection, state: CovenantState, phase: Phase | None,
                  now: datetime) -> Counts:
    total = len(state.tree.units)
    handed = None
    if phase is not None:
        handed = total - len(await units_without_submission(conn, state.block, phase.id))
    signed = state.signed if _shows_covenant(state, phase) else None
    return Counts(now=now, total=total, signed=signed,
                  sign_by=covenant_deadline(state.block), handed=handed, phase=phase)


async def _text(conn: AsyncConnection, texts: Catalog, state: CovenantState, subject: str,
                now: datetime) -> str | None:
    """What the message of `subject` should say now; None if it no longer applies."""
    block, lang = state.block, state.block.language
    phase = None
    if subject == COVENANT:
        if state.version is None:
            return None
        head = texts.text(lang, "progress-covenant-head", title=state.version.title)
    else:
        phase = next((p for p in state.tree.phases if p.code == subject), None)
        if phase is None:  # the phase was removed from the block file
            return None
        head = phase_head(texts, lang, block, phase)
    return post_text(texts, lang, block, head, await _counts(conn, state, phase, now))


async def _post(conn: AsyncConnection, block: Block, subject: str, text: str,
                now: datetime) -> int:
    """A new progress message for the group; the ones before it are no longer edited."""
    assert block.group_chat_id is not None
    for old in await repo.open_posts(conn, block.id):
        await repo.close_post(conn, old.id, now)
    post_id = await repo.add_post(conn, block_id=block.id, subject=subject,
                                  chat_id=block.group_chat_id, text=text, now=now)
    return await enqueue(conn, [Outgoing(
        chat_id=block.group_chat_id, text=text, batch=post_batch(post_id),
        dedupe_key=f"{post_batch(post_id)}{POST_SUFFIX}", block_id=block.id)], now)


async def open_phase_post(conn: AsyncConnection, texts: Catalog, block: Block, phase: Phase,
                          now: datetime) -> int:
    """The phase's opening notice, with its counts, as the phase's progress message (in
    the caller's transaction: the phase-start round's). How many messages were queued."""
    if block.group_chat_id is None:
        return 0
    if await repo.post_for(conn, block.id, phase.code, block.group_chat_id) is not None:
        return 0
    state = await load_state(conn, block)
    text = await _text(conn, texts, state, phase.code, now)
    return 0 if text is None else await _post(conn, block, phase.code, text, now)


async def _edit(conn: AsyncConnection, post: ProgressPost, text: str, version: int,
                now: datetime) -> int:
    assert post.message_id is not None
    await repo.mark_shown(conn, post.id, version)
    return await enqueue(conn, [Outgoing(
        chat_id=post.chat_id, text=text, edit_message_id=post.message_id,
        batch=post_batch(post.id), dedupe_key=f"{post_batch(post.id)}:v{version}",
        block_id=post.block_id)], now)


async def refresh(conn: AsyncConnection, texts: Catalog, block: Block, now: datetime, *,
                  post_if_none: bool = False) -> int:
    """Bring the block's progress message up to date, in the caller's transaction (the one
    that changed a count). `post_if_none`: a signature or a submission when the group has
    no progress message yet (a block set up mid-phase) posts one: the current phase's, or
    the covenant's before the first phase. How many messages were queued: wake the outbox."""
    if block.group_chat_id is None:
        return 0
    posts = [p for p in await repo.open_posts(conn, block.id) if p.chat_id == block.group_chat_id]
    state = await load_state(conn, block)
    if not posts:
        if not post_if_none:
            return 0
        phase = current_phase(state.tree, now)
        subject = phase.code if phase is not None else COVENANT
        text = await _text(conn, texts, state, subject, now)
        return 0 if text is None else await _post(conn, block, subject, text, now)
    queued = 0
    for post in posts:
        text = await _text(conn, texts, state, post.subject, now)
        if text is None or text == post.text:
            continue
        version = await repo.set_text(conn, post.id, text)
        if post.message_id is not None:
            queued += await _edit(conn, post, text, version, now)
        elif post.shown == repo.GONE:  # deleted in the group: posted again
            await repo.mark_shown(conn, post.id, version)
            queued += await enqueue(conn, [Outgoing(
                chat_id=post.chat_id, text=text, batch=post_batch(post.id),
                dedupe_key=f"{post_batch(post.id)}:v{version}{POST_SUFFIX}",
                block_id=post.block_id)], now)
        # else: not delivered yet; post_delivered edits the change in
    return queued


@dataclass(frozen=True)
class Pin:
    """A pin to make (or undo) in the group."""

    post_id: int
    chat_id: int
    message_id: int
    pin: bool


async def post_delivered(db: Database, clock: Clock, delivery: Delivery) -> bool:
    """The outbox delivered a progress message: remember its id, and queue the edit of a
    change made meanwhile. True when an edit was queued (wake the outbox)."""
    post_id = post_of_batch(delivery.batch)
    if post_id is None:
        return False
    now = clock.now()
    if delivery.state is State.FAILED and "not found" in (delivery.error or "").lower():
        # Someone deleted the message: the next change to a count posts it again.
        async with db.transaction() as conn:
            await repo.forget_message(conn, post_id)
        return False
    if (not delivery.dedupe_key.endswith(POST_SUFFIX) or delivery.state is not State.SENT
            or delivery.message_id is None):
        return False
    async with db.transaction() as conn:
        await repo.set_message(conn, post_id, delivery.message_id)
        post = await repo.get_post(conn, post_id)
        if post is None or post.version <= post.shown:
            return False
        return await _edit(conn, post, post.text, post.version, now) > 0


async def pins_to_make(db: Database) -> list[Pin]:
    """Delivered messages still to pin (the current ones) or unpin (taken over)."""
    async with db.read() as conn:
        posts = await repo.unpinned_posts(conn)
    return [Pin(p.id, p.chat_id, p.message_id, p.closed_at is None)
            for p in posts if p.message_id is not None]


async def pin_done(db: Database, pin: Pin) -> None:
    """The pin was made or undone, or Telegram refused it (no right to pin): either way it
    is not tried again at every edit; the message is edited in place all the same."""
    async with db.transaction() as conn:
        await repo.set_pinned(conn, pin.post_id, pin.pin)
