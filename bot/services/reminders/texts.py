"""Word a reminder round for each recipient and put it in the outbox.

Runs inside the transaction that claims the round (bot.services.reminders.rounds), so a
round is either claimed with all its messages queued or not at all. Recipients and their
languages come from bot.services.notify, read once for the whole round.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, Buttons, one
from bot.formatting import format_date, format_datetime
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.covenant.callbacks import sign_data
from bot.services.notify import Recipient
from bot.services.reminders.rounds import OWING_KINDS, Round
from bot.texts import Catalog, Html
from storage.records import Block, Unit


def time_left(texts: Catalog, lang: str, now: datetime, deadline: datetime) -> str:
    """'3 ngày', '2 giờ', '5 phút': the largest whole unit, as people say it."""
    left = max(deadline - now, timedelta(0))
    minutes = round(left.total_seconds() / 60)
    if minutes >= 24 * 60:
        return texts.text(lang, "remind-left-days", n=round(minutes / (24 * 60)))
    if minutes >= 60:
        return texts.text(lang, "remind-left-hours", n=round(minutes / 60))
    return texts.text(lang, "remind-left-minutes", n=max(minutes, 1))


def _outgoing(block: Block, to: Recipient, text: str, batch: str, dedupe_key: str,
              buttons: Buttons = NO_BUTTONS) -> Outgoing:
    """A message whose text joins several catalog entries (notify.worded words one)."""
    return Outgoing(chat_id=to.chat_id, text=text, buttons=buttons, batch=batch,
                    dedupe_key=dedupe_key, tg_user_id=to.tg_user_id, block_id=block.id)


def _params(texts: Catalog, lang: str, rnd: Round) -> dict[str, object]:
    tz = rnd.block.tz
    params: dict[str, object] = {
        "due": format_datetime(rnd.row.deadline, tz),
        "left": time_left(texts, lang, rnd.now, rnd.row.deadline),
        "total": len(rnd.tree.units),
        "count": len(rnd.owing),
        "codes": ", ".join(u.code for u in rnd.owing),
    }
    if rnd.phase is not None:
        params.update(
            phase=rnd.phase.name,
            start=format_date(rnd.phase.start),
            end=format_date(rnd.phase.end),
            reported=rnd.reported,
        )
    return params


def _unit_key(rnd: Round) -> str:
    if rnd.kind == "report-overdue":
        accepts = rnd.block.settings.get("late_reports", "accept") == "accept"
        return "remind-report-overdue" if accepts else "remind-report-overdue-refused"
    return f"remind-{rnd.kind}"


def _unit_text(texts: Catalog, lang: str, rnd: Round, unit: Unit) -> str:
    text = texts.text(lang, _unit_key(rnd), unit=unit.name, **_params(texts, lang, rnd))
    if rnd.kind != "report":
        return text
    missing = rnd.empty.get(unit.id)
    extra = (texts.text(lang, "remind-report-missing", codes=", ".join(c.code for c in missing))
             if missing else texts.text(lang, "remind-report-ready"))
    return f"{text}\n\n{extra}"


def _sign_buttons(texts: Catalog, lang: str, rnd: Round, unit: Unit) -> Buttons:
    """Sign rounds carry the published version: the covenant's own signing button goes
    under the reminder, as under the covenant itself (the reminders have no buttons of
    their own, so no callback data of their own)."""
    version = rnd.covenant_version
    if version is None:
        return NO_BUTTONS
    return one(texts.text(lang, "covenant-button-sign"), sign_data(version.id, unit.id))


async def _to_units(conn: AsyncConnection, texts: Catalog, rnd: Round, key: str
                    ) -> list[Outgoing]:
    """Every representative of every unit that still owes, in their language."""
    members = [m for unit in rnd.owing for m in rnd.members.get(unit.id, [])]
    reader = {r.tg_user_id: r for r in await notify.people(conn, rnd.block, members)}
    items = []
    for unit in rnd.owing:
        for member in rnd.members.get(unit.id, []):
            to = reader[member.tg_user_id]
            text = _unit_text(texts, to.lang, rnd, unit)
            items.append(_outgoing(rnd.block, to, text, key, f"{key}:{to.chat_id}",
                                   _sign_buttons(texts, to.lang, rnd, unit)))
    return items


def _group_key(rnd: Round) -> str | None:
    summary = bool((rnd.block.settings.get("reminders") or {}).get("group_summary", True))
    if rnd.kind in ("report", "sign") and rnd.owing and summary:
        return f"remind-group-{rnd.kind}"
    if rnd.kind in ("phase-start", "phase-end"):
        return f"remind-{rnd.kind}"
    return None


def _to_group(texts: Catalog, rnd: Round, key: str) -> list[Outgoing]:
    group_key = _group_key(rnd)
    if group_key is None:
        return []
    items = []
    for to in notify.group(rnd.block):
        text = texts.text(to.lang, group_key, **_params(texts, to.lang, rnd))
        if rnd.kind == "phase-start" and rnd.phase is not None and rnd.phase.theme:
            text += "\n" + texts.text(to.lang, "remind-phase-theme", theme=rnd.phase.theme)
        items.append(_outgoing(rnd.block, to, text, key, f"{key}:group"))
    return items


async def _to_chairs(conn: AsyncConnection, texts: Catalog, rnd: Round, key: str
                     ) -> list[Outgoing]:
    """Just after a deadline: the chairs get the list of units that missed it."""
    if not rnd.kind.endswith("-overdue"):
        return []
    lines = Html(html.escape("\n".join(f"• {u.code} – {u.name}" for u in rnd.owing),
                             quote=False))
    chair_key = f"remind-chair-{rnd.kind}" if rnd.owing else f"remind-chair-{rnd.kind}-none"

    def params(lang: str) -> dict[str, object]:
        found = _params(texts, lang, rnd)
        return {**found, "units": lines} if rnd.owing else found

    return notify.worded(texts, await notify.people(conn, rnd.block, rnd.chairs), chair_key,
                         block=rnd.block, batch=key, dedupe=f"{key}:chair", params=params)


async def enqueue_round(conn: AsyncConnection, texts: Catalog, rnd: Round) -> int:
    """Enqueue the round's messages, in the caller's transaction; returns how many units
    it reminded."""
    key = f"remind:{rnd.row.id}"
    items = await _to_units(conn, texts, rnd, key) if rnd.kind in OWING_KINDS else []
    items += _to_group(texts, rnd, key)
    items += await _to_chairs(conn, texts, rnd, key)
    if items:
        await enqueue(conn, items, rnd.now)
    return len(rnd.owing)
