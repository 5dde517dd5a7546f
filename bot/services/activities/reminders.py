"""The words of an activity's reminders, queued in the transaction that claims the row:
only to the units that have not answered (with the buttons that answer), to the units
that will come, and the chair's list of the silent units at answer_by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import Button, Buttons, rows
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.activities import callbacks
from bot.services.activities.loaded import Loaded
from bot.services.activities.wording import answer_buttons, time_span, unit_names, when
from bot.services.reminders.texts import time_left
from bot.texts import Catalog
from storage import members as members_repo
from storage.activities.records import ActivityReminder
from storage.records import Unit


async def _to_units(conn: AsyncConnection, texts: Catalog, loaded: Loaded,
                    row: ActivityReminder, units: list[Unit], key: str, now: datetime,
                    *, answer: bool, checkin: bool = False) -> int:
    block, activity = loaded.block, loaded.activity
    wanted = {u.id: u for u in units}
    reachable = [m for m in await members_repo.block_members(conn, block.id)
                 if m.unit_id in wanted and m.unreachable_since is None]
    batch = f"activity:{activity.id}:{row.kind}{row.offset}"
    deadline = activity.answer_by if row.kind == "answer" else activity.starts_at
    items: list[Outgoing] = []
    for person, member in zip(await notify.people(conn, block, reachable), reachable,
                              strict=True):
        lang = person.lang
        unit = wanted[member.unit_id]
        buttons: Buttons = ()
        if answer:
            buttons = answer_buttons(texts, lang, activity, unit.id, 0)
        elif checkin:
            buttons = rows([Button(texts.plain(lang, "activity-btn-checkin"),
                                   callbacks.checkin(activity.id))])
        items.append(Outgoing(
            chat_id=person.chat_id, batch=batch, dedupe_key=f"{batch}:{person.chat_id}",
            text=texts.text(lang, key, title=activity.title, unit=unit.name,
                            time=time_span(texts, lang, activity, block.tz),
                            place=texts.plain(lang, "activity-at-place", place=activity.place)
                            if activity.place else "",
                            deadline=when(texts, lang, activity.answer_by, block.tz),
                            left=time_left(texts, lang, now, deadline)),
            buttons=buttons, tg_user_id=person.tg_user_id, block_id=block.id))
    return await enqueue(conn, items, now) if items else 0


async def to_pending(conn: AsyncConnection, texts: Catalog, loaded: Loaded,
                     row: ActivityReminder, now: datetime) -> int:
    """The units that have not answered, and no one else."""
    return await _to_units(conn, texts, loaded, row, loaded.standing.pending,
                           "activity-remind-answer", now, answer=True)


async def to_coming(conn: AsyncConnection, texts: Catalog, loaded: Loaded,
                    row: ActivityReminder, now: datetime) -> int:
    """The units that will come: the day before, and with the check-in button on the day."""
    return await _to_units(conn, texts, loaded, row, loaded.standing.coming,
                           "activity-remind-coming", now, answer=False,
                           checkin=row.offset != "1d")


async def closed_to_chairs(conn: AsyncConnection, texts: Catalog, loaded: Loaded,
                           now: datetime) -> int:
    """At answer_by: who did not answer (or that all did), to the chair's representatives."""
    block, activity, standing = loaded.block, loaded.activity, loaded.standing
    batch = f"activity:{activity.id}:closed"

    def params(lang: str) -> dict[str, object]:
        return {"title": activity.title, "time": when(texts, lang, activity.answer_by, block.tz),
                "total": len(standing.units), "coming": len(standing.coming),
                "absent": len(standing.absent), "people": standing.people,
                "count": len(standing.pending),
                "names": unit_names(texts, lang, standing.pending, len(standing.pending))}

    key = "activity-closed-chair" if standing.pending else "activity-closed-chair-all"
    return await notify.queue(conn, texts, await notify.chairs(conn, block), key, block=block,
                              batch=batch, dedupe=batch, now=now, params=params)
