"""What a notice's live messages should show, read for the handler that edits them: the
chair's progress message, the group copy's "received: k/N" counter, and the copies a
unit's first "received" marks with who confirmed and when.

Pure reads, each in one connection; the handler throttles the edits and sends them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import Buttons
from bot.services.announce import copies
from bot.services.announce.notices import AckResult
from bot.services.announce.stats import Report, group_counter, report_in
from bot.texts import Catalog
from storage import announcements as repo
from storage import outbox as outbox_repo
from storage import prefs as prefs_repo
from storage.db import Database
from storage.outbox.records import State


@dataclass(frozen=True)
class Progress:
    """The chair's progress message of a notice and where the notice stands."""

    chat_id: int
    message_id: int
    lang: str  # the author's
    report: Report


async def progress(db: Database, announcement_id: int) -> Progress | None:
    """None when the notice has no progress message (or does not exist)."""
    async with db.read() as conn:
        ann = await repo.get_announcement(conn, announcement_id)
        if ann is None or ann.progress_chat_id is None or ann.progress_message_id is None:
            return None
        rep = await report_in(conn, ann)
        lang = await prefs_repo.language_of(conn, ann.author_tg_id, rep.block.language)
    return Progress(ann.progress_chat_id, ann.progress_message_id, lang, rep)


@dataclass(frozen=True)
class ButtonsEdit:
    """New buttons for a message already sent."""

    chat_id: int
    message_id: int
    buttons: Buttons


async def counter(db: Database, texts: Catalog, announcement_id: int) -> ButtonsEdit | None:
    """The group copy's counter as it should read now; None if the notice has none, or its
    group copy is not sent yet (the delivery hook asks again once it is)."""
    found = await group_counter(db, announcement_id)
    if found is None:
        return None
    row = found.row
    if row is None or row.state is not State.SENT or row.message_id is None:
        return None
    buttons = copies.counter_keyboard(
        texts, found.block.language, announcement_id, found.standing.acked,
        len(found.standing.ack_units),
    )
    return ButtonsEdit(row.chat_id, row.message_id, buttons)


async def marks(
    db: Database, texts: Catalog, result: AckResult, pressed: tuple[int, int] | None
) -> list[ButtonsEdit]:
    """After a unit's first "received" (`result`), every copy of its representatives shows
    who confirmed and when, each in its reader's language. `pressed` is the (chat, message)
    of the copy pressed, when it is a private one: a reminder, not among the notice's
    copies, is marked too."""
    ann, ack, block, unit = result.announcement, result.ack, result.block, result.unit
    assert ann is not None and ack is not None and block is not None and unit is not None
    async with db.read() as conn:
        recipients = await repo.unit_recipients(conn, ann.id, unit.id)
        rows = await outbox_repo.delivery_rows(conn, [r.dedupe_key for r in recipients])
        targets = {(r.chat_id, r.message_id) for r in rows.values()
                   if r.state is State.SENT and r.message_id is not None}
        if pressed is not None:
            targets.add(pressed)
        # Private chats: the chat id is the representative's user id.
        languages = await prefs_repo.languages_of(conn, {chat_id for chat_id, _ in targets})
    return [
        ButtonsEdit(chat_id, message_id, copies.acked_keyboard(
            texts, languages.get(chat_id, block.language), ann.id, ack.full_name, ack.at, block))
        for chat_id, message_id in sorted(targets)
    ]
