"""Messages the report feature sends through the crash-safe outbox: the chair and the
group on a submission, the unit on a return or an appraisal.

They are queued inside the transaction that changes the report, so the change and its
announcement commit together; the caller wakes the outbox after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.outbox import Outgoing, enqueue
from bot.services.access import chair_members
from bot.texts import Catalog
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.records import Block

Params = Mapping[str, Any] | Callable[[str], Mapping[str, Any]]

# Button on a unit's notice that opens the report again (handled by handlers/report.py).
OPEN_REPORT_DATA = "rp:o:{phase_id}"


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    lang: str
    tg_user_id: int | None = None  # None for the group


async def chair_recipients(
    conn: AsyncConnection, block: Block, *, skip: int | None = None
) -> list[Recipient]:
    """Representatives of the units with chair rights (private chats), except `skip`."""
    return [Recipient(member.tg_user_id, lang, member.tg_user_id)
            for member, lang in await chair_members(conn, block, skip=skip)]


async def unit_recipients(
    conn: AsyncConnection, block: Block, unit_id: int
) -> list[Recipient]:
    people = await members_repo.unit_members(conn, unit_id)
    languages = await prefs_repo.languages_of(conn, [m.tg_user_id for m in people])
    return [Recipient(m.tg_user_id, languages.get(m.tg_user_id, block.language), m.tg_user_id)
            for m in people]


def group_recipient(block: Block) -> list[Recipient]:
    if block.group_chat_id is None:
        return []
    return [Recipient(block.group_chat_id, block.language)]


async def queue_notice(
    conn: AsyncConnection,
    texts: Catalog,
    *,
    block: Block,
    recipients: list[Recipient],
    key: str,
    params: Params,
    dedupe: str,
    now: datetime,
    button: tuple[str, str] | None = None,
) -> int:
    """Queue catalog text `key` to every recipient in their language; returns how many.

    `params` may be a function of the language, for figures written the local way.
    `button` is (catalog key of the label, callback_data) for a one-button keyboard.
    """
    items = []
    for r in recipients:
        markup = None
        if button is not None:
            label = texts.text(r.lang, button[0])
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=button[1])]]
            )
        items.append(Outgoing(
            chat_id=r.chat_id,
            text=texts.text(r.lang, key, **(params(r.lang) if callable(params) else params)),
            reply_markup=markup,
            batch=f"report:{dedupe}",
            dedupe_key=f"report:{dedupe}:{r.chat_id}",
            tg_user_id=r.tg_user_id,
            block_id=block.id,
        ))
    if not items:
        return 0
    return await enqueue(conn, items, now)
