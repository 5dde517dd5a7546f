"""These people, each in their language, this message: the one way a service words a
notice for several recipients and puts it in the outbox.

A recipient is a chat and the language its reader chose (a group reads the block's
language). A notice is a catalog key with its parameters, the same for everyone or a
function of the language (figures written the local way), and optionally buttons, also
worded per language. Queued inside the caller's transaction, so a change and its notices
commit together; the caller wakes the outbox after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, Buttons
from bot.outbox.model import Outgoing
from bot.outbox.queue import enqueue
from bot.services.access import chair_members
from bot.texts import Catalog
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.records import Block, Member

Params = Mapping[str, Any] | Callable[[str], Mapping[str, Any]]
ButtonsFor = Buttons | Callable[[str], Buttons]


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    lang: str
    tg_user_id: int | None = None  # None for the group


async def chairs(conn: AsyncConnection, block: Block, *, skip: int | None = None
                 ) -> list[Recipient]:
    """Representatives of the units with chair rights (private chats), except `skip`."""
    return [Recipient(member.tg_user_id, lang, member.tg_user_id)
            for member, lang in await chair_members(conn, block, skip=skip)]


async def people(conn: AsyncConnection, block: Block, members: Iterable[Member]
                 ) -> list[Recipient]:
    """These representatives (private chats), each in the language they chose."""
    chosen = list(members)
    languages = await prefs_repo.languages_of(conn, [m.tg_user_id for m in chosen])
    return [Recipient(m.tg_user_id, languages.get(m.tg_user_id, block.language), m.tg_user_id)
            for m in chosen]


async def unit(conn: AsyncConnection, block: Block, unit_id: int) -> list[Recipient]:
    """The representatives of one unit."""
    return await people(conn, block, await members_repo.unit_members(conn, unit_id))


def group(block: Block) -> list[Recipient]:
    """The block's group, if it has one, in the block's language."""
    if block.group_chat_id is None:
        return []
    return [Recipient(block.group_chat_id, block.language)]


def worded(
    texts: Catalog, recipients: Iterable[Recipient], key: str, *, block: Block, batch: str,
    dedupe: str, params: Params | None = None, buttons: ButtonsFor = NO_BUTTONS,
) -> list[Outgoing]:
    """Catalog text `key` for every recipient in their language, keyed `dedupe:<chat id>` so
    that a retried use case queues each copy once."""
    items = []
    for r in recipients:
        values = params(r.lang) if callable(params) else (params or {})
        items.append(Outgoing(
            chat_id=r.chat_id,
            text=texts.text(r.lang, key, **values),
            buttons=buttons(r.lang) if callable(buttons) else buttons,
            batch=batch,
            dedupe_key=f"{dedupe}:{r.chat_id}",
            tg_user_id=r.tg_user_id,
            block_id=block.id,
        ))
    return items


async def queue(
    conn: AsyncConnection, texts: Catalog, recipients: Iterable[Recipient], key: str, *,
    block: Block, batch: str, dedupe: str, now: datetime, params: Params | None = None,
    buttons: ButtonsFor = NO_BUTTONS,
) -> int:
    """`worded` put in the outbox, in the caller's transaction; how many were new."""
    items = worded(texts, recipients, key, block=block, batch=batch, dedupe=dedupe,
                   params=params, buttons=buttons)
    return await enqueue(conn, items, now) if items else 0
