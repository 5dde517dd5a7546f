"""Delivering a covenant version to the units' representatives, inside the transaction
that publishes it (or asks again): who it reached, and who the chair should chase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS
from bot.outbox.model import Outgoing
from bot.outbox.queue import enqueue
from bot.services import notify
from bot.services.covenant import messages as notices
from bot.services.covenant.hash import CovenantContent, PledgeContent
from bot.services.covenant.pledge import load_unit_pledge
from bot.services.covenant.state import CovenantState
from bot.texts import Catalog
from storage import members as members_repo
from storage.covenant.records import CovenantVersion
from storage.records import Block, Unit


@dataclass(frozen=True)
class Reach:
    """Who a delivery could reach: chairs are told about the rest."""

    units: int = 0
    people: int = 0
    no_member: tuple[Unit, ...] = ()  # no representative has registered (opened the bot)
    unreachable: tuple[Unit, ...] = ()  # every representative blocked the bot (403 before)


async def deliver(
    conn: AsyncConnection, texts: Catalog, state: CovenantState, version: CovenantVersion,
    units: list[Unit], *, kind: str, round_key: str, now: datetime,
) -> Reach:
    """Queue the covenant, each unit's section and the sign button to its representatives.

    kind: "new" (first publication), "changed" (new version), "resend" (reminder).
    The recipients come from bot.services.notify, but the copies are built here: one copy
    is several messages, as many as the text takes in the reader's language, with the
    unit's own section and the button under the last one, which notify.worded (one
    message per recipient) does not shape.
    """
    block = state.block
    content = CovenantContent.from_settings(version.content)
    batch = f"covenant:{version.id}:{round_key}"
    no_member: list[Unit] = []
    unreachable: list[Unit] = []
    queued: list[Outgoing] = []
    reached = 0
    for unit in units:
        members = await members_repo.unit_members(conn, unit.id)
        if not members:
            no_member.append(unit)
            continue
        if all(p.unreachable_since is not None for p in members):
            unreachable.append(unit)
        reached += 1
        pledge = (await load_unit_pledge(conn, state.tree, unit)).content()
        for person in await notify.people(conn, block, members):
            queued += _copy(texts, person, block, version, unit, content, pledge,
                            kind=kind, batch=batch)
    if queued:
        await enqueue(conn, queued, now)
    people_count = len({item.chat_id for item in queued})
    return Reach(reached, people_count, tuple(no_member), tuple(unreachable))


def _copy(
    texts: Catalog, person: notify.Recipient, block: Block, version: CovenantVersion,
    unit: Unit, content: CovenantContent, pledge: PledgeContent, *, kind: str, batch: str,
) -> list[Outgoing]:
    """One person's copy of the covenant, in their language."""
    lang = person.lang
    parts = notices.covenant_messages(
        texts, lang,
        heading=texts.text(lang, f"covenant-delivery-{kind}", unit=unit.name,
                           number=version.number,
                           sign_by=notices.sign_by_text(texts, lang, block)),
        content=content, pledge=pledge,
        footer=texts.text(lang, "covenant-delivery-footer"),
    )
    button = notices.button_row([notices.sign_button(texts.text(lang, "covenant-button-sign"),
                                                     version.id, unit.id)])
    last = len(parts) - 1
    return [
        Outgoing(chat_id=person.chat_id, text=part, buttons=button if i == last else NO_BUTTONS,
                 batch=batch, dedupe_key=f"{batch}:{person.chat_id}:{i}",
                 tg_user_id=person.tg_user_id, block_id=block.id)
        for i, part in enumerate(parts)
    ]
