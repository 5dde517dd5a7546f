"""Word a reminder round for each recipient and put it in the outbox.

Runs inside the transaction that claims the round (bot.services.reminders.rounds), so a
round is either claimed with all its messages queued or not at all. Recipients and their
languages come from bot.services.notify, read once for the whole round. Units and criteria
are named, never coded (bot.services.reminders.wording); the phase's start posts the
group's progress message and every round brings it up to date (bot.services.progress).
"""

from __future__ import annotations

import html

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, Buttons
from bot.formatting import format_date
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.notify import Recipient
from bot.services.progress.posts import open_phase_post, refresh
from bot.services.reminders.rounds import OWING_KINDS, Round
from bot.services.reminders.wording import (
    criteria_names,
    deadline_text,
    report_buttons,
    sign_buttons,
    time_left,
    unit_names,
)
from bot.texts import Catalog, Html
from storage.records import Block, Unit

__all__ = ["enqueue_round", "late_accepted", "time_left", "unit_text"]


def _outgoing(block: Block, to: Recipient, text: str, batch: str, dedupe_key: str,
              buttons: Buttons = NO_BUTTONS) -> Outgoing:
    """A message whose text joins several catalog entries (notify.worded words one)."""
    return Outgoing(chat_id=to.chat_id, text=text, buttons=buttons, batch=batch,
                    dedupe_key=dedupe_key, tg_user_id=to.tg_user_id, block_id=block.id)


def _params(texts: Catalog, lang: str, rnd: Round) -> dict[str, object]:
    params: dict[str, object] = {
        "due": deadline_text(rnd.block, rnd.row.deadline, lang),
        "left": time_left(texts, lang, rnd.now, rnd.row.deadline),
        "total": len(rnd.tree.units),
        "count": len(rnd.owing),
        "names": unit_names(rnd.owing),
    }
    if rnd.phase is not None:
        params.update(
            phase=rnd.phase.name,
            start=format_date(rnd.phase.start),
            end=format_date(rnd.phase.end),
            reported=rnd.reported,
        )
    return params


def late_accepted(block: Block) -> bool:
    return block.settings.get("late_reports", "accept") == "accept"


def _unit_key(rnd: Round) -> str:
    if rnd.kind == "report-overdue":
        accepts = late_accepted(rnd.block)
        return "remind-report-overdue" if accepts else "remind-report-overdue-refused"
    return f"remind-{rnd.kind}"


def unit_text(texts: Catalog, lang: str, rnd: Round, unit: Unit) -> str:
    """The reminder for one unit of the round (a snoozed one is worded the same way)."""
    text = texts.text(lang, _unit_key(rnd), unit=unit.name, **_params(texts, lang, rnd))
    if rnd.kind != "report":
        return text
    missing = rnd.empty.get(unit.id)
    if not missing:
        return f"{text}\n\n{texts.text(lang, 'remind-report-ready')}"
    names = criteria_names(texts, lang, missing, list(rnd.tree.criteria))
    extra = texts.text(lang, "remind-report-missing", count=len(missing), names=names)
    return f"{text}\n\n{extra}"


def unit_buttons(texts: Catalog, lang: str, rnd: Round, unit: Unit) -> Buttons:
    """What the reminder lets the unit do at once: open its report or sign, and snooze."""
    base = rnd.kind.removesuffix("-overdue")
    if base == "sign":
        version = rnd.covenant_version
        return sign_buttons(texts, lang, version.id if version else None, unit.id)
    if rnd.phase is None or (rnd.kind == "report-overdue" and not late_accepted(rnd.block)):
        return NO_BUTTONS  # nothing the unit can still do here
    return report_buttons(texts, lang, rnd.phase.id)


async def _to_units(conn: AsyncConnection, texts: Catalog, rnd: Round, key: str
                    ) -> list[Outgoing]:
    """Every representative of every unit that still owes, in their language."""
    members = [m for unit in rnd.owing for m in rnd.members.get(unit.id, [])]
    reader = {r.tg_user_id: r for r in await notify.people(conn, rnd.block, members)}
    items = []
    for unit in rnd.owing:
        for member in rnd.members.get(unit.id, []):
            to = reader[member.tg_user_id]
            text = unit_text(texts, to.lang, rnd, unit)
            items.append(_outgoing(rnd.block, to, text, key, f"{key}:{to.chat_id}",
                                   unit_buttons(texts, to.lang, rnd, unit)))
    return items


def _group_key(rnd: Round) -> str | None:
    summary = bool((rnd.block.settings.get("reminders") or {}).get("group_summary", True))
    if rnd.kind in ("report", "sign") and rnd.owing and summary:
        return f"remind-group-{rnd.kind}"
    if rnd.kind == "phase-end":
        return "remind-phase-end"
    return None


def _to_group(texts: Catalog, rnd: Round, key: str) -> list[Outgoing]:
    group_key = _group_key(rnd)
    if group_key is None:
        return []
    return [_outgoing(rnd.block, to, texts.text(to.lang, group_key,
                                                **_params(texts, to.lang, rnd)),
                      key, f"{key}:group")
            for to in notify.group(rnd.block)]


async def _to_chairs(conn: AsyncConnection, texts: Catalog, rnd: Round, key: str
                     ) -> list[Outgoing]:
    """Just after a deadline: the chairs get the list of units that missed it."""
    if not rnd.kind.endswith("-overdue"):
        return []
    lines = Html(html.escape("\n".join(f"• {u.name}" for u in rnd.owing), quote=False))
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
    if rnd.kind == "phase-start" and rnd.phase is not None:
        await open_phase_post(conn, texts, rnd.block, rnd.phase, rnd.now)
    items = await _to_units(conn, texts, rnd, key) if rnd.kind in OWING_KINDS else []
    items += _to_group(texts, rnd, key)
    items += await _to_chairs(conn, texts, rnd, key)
    if items:
        await enqueue(conn, items, rnd.now)
    await refresh(conn, texts, rnd.block, rnd.now)  # a deadline passed, the phase ended
    return len(rnd.owing)
