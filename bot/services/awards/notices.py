"""What the vote tells people through the outbox: the group's live counter, invitations
and reminders to units that have not voted, the other representatives' "already cast".

Nothing queued here ever carries a tracker or a choice: the outbox keeps its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import one
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.awards.callbacks import open_ballot_data
from bot.services.awards.state import RUNOFF, VoteState
from bot.texts import Catalog
from storage import outbox as outbox_repo
from storage.records import Unit

BATCH = "awards:"


def when(texts: Catalog, lang: str, at: datetime, state: VoteState) -> str:
    """"17 giờ 00, ngày 15/12/2023", as a deadline is written in a notice."""
    local = at.astimezone(state.block.tz)
    return texts.plain(lang, "awards-when", hour=f"{local.hour:02d}", minute=f"{local:%M}",
                       date=f"{local.day}/{local.month}/{local.year}")


def title(texts: Catalog, lang: str, state: VoteState) -> str:
    """"Bình xét khen thưởng năm 2023" or "Bỏ phiếu lại: Bằng khen …"."""
    if state.round.kind == RUNOFF:
        return texts.plain(lang, "awards-title-runoff", award=state.layout.awards[0].award.name)
    return texts.plain(lang, "awards-title", year=state.round.year)


def group_batch(state: VoteState) -> str:
    return f"{BATCH}{state.round.id}:group:{state.round.opens}"


def counter_text(texts: Catalog, state: VoteState, *, closed: bool = False) -> str:
    lang = state.block.language
    key = "awards-counter-closed" if closed else "awards-counter"
    closes = state.round.closes_at
    return texts.text(lang, key, title=title(texts, lang, state), cast=state.cast,
                      total=state.electorate,
                      closes=when(texts, lang, closes, state) if closes else "")


async def queue_group_post(conn: AsyncConnection, texts: Catalog, state: VoteState,
                           now: datetime) -> int:
    """The counter's first post in the group, at each opening."""
    items = [Outgoing(chat_id=r.chat_id, text=counter_text(texts, state),
                      batch=group_batch(state), dedupe_key=f"{group_batch(state)}:post",
                      block_id=state.block.id) for r in notify.group(state.block)]
    return await enqueue(conn, items, now) if items else 0


async def queue_counter_edit(conn: AsyncConnection, texts: Catalog, state: VoteState,
                             now: datetime, *, closed: bool = False) -> int:
    """Edit the group's counter in place (once its post is out; the outbox tells us when it
    is, see handlers.awards.on_delivery, and the counter is brought up to date then)."""
    sent = await outbox_repo.sent_message_ids(conn, group_batch(state))
    post = sent.get(f"{group_batch(state)}:post")
    if post is None:
        return 0
    chat_id, message_id = post
    tag = "closed" if closed else str(state.cast)
    item = Outgoing(chat_id=chat_id, text=counter_text(texts, state, closed=closed),
                    edit_message_id=message_id, batch=f"{BATCH}{state.round.id}:count",
                    dedupe_key=f"{BATCH}{state.round.id}:count:{state.round.opens}:{tag}",
                    block_id=state.block.id)
    return await enqueue(conn, [item], now)


async def queue_invites(conn: AsyncConnection, texts: Catalog, state: VoteState,
                        units: Iterable[Unit], now: datetime, *, key: str, tag: str) -> int:
    """The ballot's invitation (or a reminder: `key`) to every representative of `units`,
    with the button that opens the ballot."""
    block = state.block
    queued = 0
    closes = state.round.closes_at
    assert closes is not None

    def params(unit: Unit) -> Callable[[str], dict[str, object]]:
        return lambda lang: {"title": title(texts, lang, state), "unit": unit.name,
                             "closes": when(texts, lang, closes, state),
                             "cast": state.cast, "total": state.electorate}

    for unit in units:
        recipients = await notify.unit(conn, block, unit.id)
        queued += await notify.queue(
            conn, texts, recipients, key, block=block,
            batch=f"{BATCH}{state.round.id}:{tag}",
            dedupe=f"{BATCH}{state.round.id}:{state.round.opens}:{tag}:{unit.id}", now=now,
            params=params(unit),
            buttons=lambda lang: one(texts.plain(lang, "awards-button-vote"),
                                     open_ballot_data(state.round.id)))
    return queued


async def queue_cast_notice(conn: AsyncConnection, texts: Catalog, state: VoteState,
                            unit: Unit, caster_tg_id: int, name: str, at: datetime) -> int:
    """The unit's other representatives: cast, by whom and when; never how."""
    others = [r for r in await notify.unit(conn, state.block, unit.id)
              if r.tg_user_id != caster_tg_id]
    return await notify.queue(
        conn, texts, others, "awards-cast-by-other", block=state.block,
        batch=f"{BATCH}{state.round.id}:cast",
        dedupe=f"{BATCH}{state.round.id}:cast:{unit.id}", now=at,
        params=lambda lang: {"title": title(texts, lang, state), "unit": unit.name,
                             "name": name, "at": when(texts, lang, at, state)})
