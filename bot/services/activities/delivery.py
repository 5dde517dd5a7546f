"""The messages of an activity: the group card and each representative's invitation (with
its calendar file) queued when the activity is announced, and the edits that keep them
true afterwards (the card's counter, a unit's copies showing who answered).

Queued in the caller's transaction through the outbox; the edits are read here and sent
by the handler (throttled for the group, as a notice's counter is).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import Buttons
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.activities.calendar import write_ics
from bot.services.activities.loaded import Loaded, load
from bot.services.activities.wording import (
    card_text,
    group_buttons,
    invitation_text,
    own_buttons,
)
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage import prefs as prefs_repo
from storage.db import Database

CARD_PREFIX = "activity-card:"  # the card's batch: its delivery refreshes the counter


def card_batch(activity_id: int) -> str:
    return f"{CARD_PREFIX}{activity_id}"


def invite_batch(activity_id: int) -> str:
    return f"activity:{activity_id}:invite"


def invite_key(activity_id: int, chat_id: int) -> str:
    return f"{invite_batch(activity_id)}:{chat_id}"


def card_of(texts: Catalog, loaded: Loaded, now: datetime) -> tuple[str, Buttons]:
    block = loaded.block
    lang = block.language
    return (card_text(texts, lang, loaded.activity, block, loaded.criterion, loaded.standing,
                      now), group_buttons(texts, lang, loaded.activity, now))


async def announce(conn: AsyncConnection, texts: Catalog, loaded: Loaded, now: datetime,
                   calendar_dir: Path) -> int:
    """Queue the group card and every reachable representative's invitation and calendar
    file; how many messages were new."""
    block, activity, tree = loaded.block, loaded.activity, loaded.tree
    items: list[Outgoing] = []
    text, buttons = card_of(texts, loaded, now)
    for group in notify.group(block):
        items.append(Outgoing(chat_id=group.chat_id, text=text, buttons=buttons,
                              batch=card_batch(activity.id),
                              dedupe_key=f"{card_batch(activity.id)}:{group.chat_id}",
                              block_id=block.id))
    members = [m for m in await members_repo.block_members(conn, block.id)
               if m.unreachable_since is None and tree.unit(m.unit_id) is not None]
    ics = str(write_ics(calendar_dir, texts, activity, block))
    batch = invite_batch(activity.id)
    for person, member in zip(await notify.people(conn, block, members), members, strict=True):
        unit = tree.unit(member.unit_id)
        assert unit is not None
        answer = loaded.answers.get(unit.id)
        items.append(Outgoing(
            chat_id=person.chat_id, batch=batch, dedupe_key=invite_key(activity.id,
                                                                       person.chat_id),
            text=invitation_text(texts, person.lang, activity, block, unit, loaded.criterion,
                                 answer, now),
            buttons=own_buttons(texts, person.lang, activity, unit.id, answer, now),
            tg_user_id=person.tg_user_id, block_id=block.id))
        items.append(Outgoing(
            chat_id=person.chat_id, document=ics, batch=batch,
            caption=texts.text(person.lang, "activity-ics-caption"),
            dedupe_key=f"activity:{activity.id}:ics:{person.chat_id}",
            tg_user_id=person.tg_user_id, block_id=block.id))
    return await enqueue(conn, items, now) if items else 0


@dataclass(frozen=True)
class Edit:
    """New text and buttons for a message already sent."""

    chat_id: int
    message_id: int
    text: str
    buttons: Buttons


async def card_edits(db: Database, texts: Catalog, clock: Clock, activity_id: int
                     ) -> list[Edit]:
    """The group card as it should read now (none until the outbox has sent it)."""
    now = clock.now()
    async with db.read() as conn:
        loaded = await load(conn, activity_id)
        sent = await outbox_repo.sent_message_ids(conn, card_batch(activity_id))
    if loaded is None:
        return []
    text, buttons = card_of(texts, loaded, now)
    return [Edit(chat, message, text, buttons) for chat, message in sent.values()]


async def copy_edits(db: Database, texts: Catalog, clock: Clock, activity_id: int,
                     unit_id: int, pressed: tuple[int, int] | None = None) -> list[Edit]:
    """Every invitation of the unit's representatives (and the private message pressed,
    `pressed` = (chat, message), a reminder for instance) with the unit's answer now."""
    now = clock.now()
    async with db.read() as conn:
        loaded = await load(conn, activity_id)
        if loaded is None or (unit := loaded.tree.unit(unit_id)) is None:
            return []
        people = await members_repo.unit_members(conn, unit_id)
        sent = await outbox_repo.sent_message_ids(conn, invite_batch(activity_id))
        chats = {m.tg_user_id for m in people}
        targets = {sent[key] for chat in chats if (key := invite_key(activity_id, chat)) in sent}
        if pressed is not None:
            targets.add(pressed)
        languages = await prefs_repo.languages_of(conn, {chat for chat, _ in targets})
    answer = loaded.answers.get(unit_id)
    edits = []
    for chat, message in sorted(targets):
        lang = languages.get(chat, loaded.block.language)
        edits.append(Edit(chat, message,
                          invitation_text(texts, lang, loaded.activity, loaded.block, unit,
                                          loaded.criterion, answer, now),
                          own_buttons(texts, lang, loaded.activity, unit_id, answer, now)))
    return edits
