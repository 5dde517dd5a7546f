"""The messages an announcement sends: each copy rendered in its recipient's language.

The outbox stores ready content (HTML and plain buttons), so the copies, the reminders and
the labels of the "received" button are worded here, once, for the services that queue
them and the handlers that edit a copy's button after a press.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from bot.buttons import NO_BUTTONS, Buttons, one
from bot.formatting import DATETIME_SHORT, format_datetime
from bot.outbox import Outgoing
from bot.services.announce import callbacks
from bot.texts import Catalog, Html
from storage.announcements import Announcement
from storage.records import Block

EXCERPT_LENGTH = 60  # characters of the notice quoted in lists and reminders


def excerpt(announcement: Announcement, limit: int = EXCERPT_LENGTH) -> str:
    """The first line of the notice as plain text (the file name for a bare file)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", announcement.body or ""))
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = line or announcement.file_name or ""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut else cut  # whole words only
    return words.rstrip(" ,;:") + "…"


def copy_html(
    texts: Catalog, lang: str, block: Block, sender: str, announcement: Announcement,
    *, for_group: bool, asks: bool,
) -> str:
    """Header, the chair's own words (already HTML), and the request to confirm."""
    parts = [texts.text(lang, "announce-copy-header", block=block.name, sender=sender)]
    if announcement.body:
        parts.append(announcement.body)
    if asks:
        if for_group:
            parts.append(texts.text(lang, "announce-copy-ack-group"))
        elif announcement.ack_deadline is not None:
            deadline = format_datetime(announcement.ack_deadline, block.tz)
            parts.append(texts.text(lang, "announce-copy-ack-deadline", deadline=deadline))
        else:
            parts.append(texts.text(lang, "announce-copy-ack"))
    return "\n\n".join(parts)


def ack_keyboard(label: str, announcement_id: int) -> Buttons:
    return one(label, callbacks.ack(announcement_id))


def counter_keyboard(
    texts: Catalog, lang: str, announcement_id: int, count: int, total: int
) -> Buttons:
    label = texts.text(lang, "announce-btn-counter", count=count, total=total)
    return ack_keyboard(label, announcement_id)


def acked_keyboard(
    texts: Catalog, lang: str, announcement_id: int, name: str, at: datetime, block: Block
) -> Buttons:
    # "14:25 20/03", no year: Telegram cuts a button label at roughly 30-35 characters
    # on a phone, and with the year the «✅ name, time» label passes that.
    label = texts.text(lang, "announce-btn-acked", name=name,
                       time=format_datetime(at, block.tz, pattern=DATETIME_SHORT))
    return ack_keyboard(label, announcement_id)


def notice_copy(
    texts: Catalog, lang: str, block: Block, sender: str, announcement: Announcement,
    *, chat_id: int, dedupe_key: str, tg_user_id: int | None, ack_total: int, asks: bool,
) -> Outgoing:
    """One recipient's copy: the group's carries the live counter, a person's the button
    (unless their unit is not asked to confirm: the sender's own unit)."""
    for_group = tg_user_id is None
    markup = NO_BUTTONS
    if asks:
        markup = (
            counter_keyboard(texts, lang, announcement.id, 0, ack_total)
            if for_group
            else ack_keyboard(texts.text(lang, "announce-btn-ack"), announcement.id)
        )
    body = copy_html(texts, lang, block, sender, announcement, for_group=for_group, asks=asks)
    media = announcement.kind in ("photo", "document")
    return Outgoing(
        chat_id=chat_id,
        text=None if media else body,
        photo=announcement.file_id if announcement.kind == "photo" else None,
        document=announcement.file_id if announcement.kind == "document" else None,
        caption=body if media else None,
        buttons=markup,
        batch=announcement.batch,
        dedupe_key=dedupe_key,
        tg_user_id=tg_user_id,
        block_id=block.id,
    )


def plain_html(text: str) -> Html:
    return Html(html.escape(text, quote=False))
