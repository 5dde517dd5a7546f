"""Word a reminder round for each recipient and put it in the outbox."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, Buttons
from bot.formatting import format_date, format_datetime
from bot.outbox import Outgoing, enqueue
from bot.runtime import Runtime
from bot.services.covenant import messages as notices
from bot.services.reminders.rounds import Round
from bot.texts import Html
from storage import prefs as prefs_repo
from storage.records import Block, Member
from storage.reminders import ReminderRow


def time_left(runtime: Runtime, lang: str, now: datetime, deadline: datetime) -> str:
    """'3 ngày', '2 giờ', '5 phút': the largest whole unit, as people say it."""
    left = max(deadline - now, timedelta(0))
    minutes = round(left.total_seconds() / 60)
    if minutes >= 24 * 60:
        return runtime.texts.text(lang, "remind-left-days", n=round(minutes / (24 * 60)))
    if minutes >= 60:
        return runtime.texts.text(lang, "remind-left-hours", n=round(minutes / 60))
    return runtime.texts.text(lang, "remind-left-minutes", n=max(minutes, 1))


def _to_person(
    member: Member, text: str, batch: str, dedupe_key: str,
    markup: Buttons = NO_BUTTONS,
) -> Outgoing:
    return Outgoing(
        chat_id=member.tg_user_id,
        text=text,
        batch=batch,
        dedupe_key=dedupe_key,
        tg_user_id=member.tg_user_id,
        block_id=member.block_id,
        buttons=markup,
    )


def _params(runtime: Runtime, lang: str, rnd: Round) -> dict[str, object]:
    tz = rnd.block.tz
    params: dict[str, object] = {
        "due": format_datetime(rnd.row.deadline, tz),
        "left": time_left(runtime, lang, rnd.now, rnd.row.deadline),
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


async def enqueue_round(conn: AsyncConnection, runtime: Runtime, rnd: Round) -> int:
    """Enqueue the round's messages; returns how many units it reminded."""
    items: list[Outgoing] = []
    block = rnd.block
    key = f"remind:{rnd.row.id}"
    texts = runtime.texts
    if rnd.kind in ("report", "sign", "report-overdue", "sign-overdue"):
        unit_key = {
            "report": "remind-report",
            "sign": "remind-sign",
            "report-overdue": "remind-report-overdue"
            if block.settings.get("late_reports", "accept") == "accept"
            else "remind-report-overdue-refused",
            "sign-overdue": "remind-sign-overdue",
        }[rnd.kind]
        # Sign rounds carry the published version: the signing button goes under the
        # reminder, as under the covenant itself.
        version = rnd.covenant_version
        languages = await prefs_repo.languages_of(
            conn, [m.tg_user_id for unit in rnd.owing for m in rnd.members.get(unit.id, [])])
        for unit in rnd.owing:
            for member in rnd.members.get(unit.id, []):
                lang = languages.get(member.tg_user_id, block.language)
                markup = NO_BUTTONS if version is None else notices.button_row([
                    notices.sign_button(texts.text(lang, "covenant-button-sign"),
                                        version.id, unit.id)])
                params = _params(runtime, lang, rnd)
                text = texts.text(lang, unit_key, unit=unit.name, **params)
                missing = rnd.empty.get(unit.id)
                if rnd.kind == "report":
                    extra = (
                        texts.text(
                            lang, "remind-report-missing", codes=", ".join(c.code for c in missing)
                        )
                        if missing
                        else texts.text(lang, "remind-report-ready")
                    )
                    text = f"{text}\n\n{extra}"
                items.append(_to_person(member, text, key, f"{key}:{member.tg_user_id}",
                                        markup))
    items += await _chair_and_group(conn, runtime, rnd, key)
    if items:
        await enqueue(conn, items, rnd.now)
    return len(rnd.owing)


async def _chair_and_group(
    conn: AsyncConnection, runtime: Runtime, rnd: Round, key: str
) -> list[Outgoing]:
    block = rnd.block
    items: list[Outgoing] = []
    group_key: str | None = None
    summary = bool((block.settings.get("reminders") or {}).get("group_summary", True))
    if rnd.kind in ("report", "sign") and rnd.owing and summary:
        group_key = f"remind-group-{rnd.kind}"
    elif rnd.kind == "phase-start":
        group_key = "remind-phase-start"
    elif rnd.kind == "phase-end":
        group_key = "remind-phase-end"
    if group_key is not None and block.group_chat_id is not None:
        lang = block.language
        text = runtime.texts.text(lang, group_key, **_params(runtime, lang, rnd))
        if rnd.kind == "phase-start" and rnd.phase is not None and rnd.phase.theme:
            text += "\n" + runtime.texts.text(lang, "remind-phase-theme", theme=rnd.phase.theme)
        items.append(
            Outgoing(
                chat_id=block.group_chat_id,
                text=text,
                batch=key,
                dedupe_key=f"{key}:group",
                block_id=block.id,
            )
        )
    if rnd.kind.endswith("-overdue"):
        for chair in rnd.chairs:
            lang = await prefs_repo.language_of(conn, chair.tg_user_id, block.language)
            params = _params(runtime, lang, rnd)
            if rnd.owing:
                lines = "\n".join(f"• {u.code} – {u.name}" for u in rnd.owing)
                text = runtime.texts.text(
                    lang,
                    f"remind-chair-{rnd.kind}",
                    units=Html(html.escape(lines, quote=False)),
                    **params,
                )
            else:
                text = runtime.texts.text(lang, f"remind-chair-{rnd.kind}-none", **params)
            items.append(_to_person(chair, text, key, f"{key}:chair:{chair.tg_user_id}"))
    return items


def deadlines_text(
    runtime: Runtime, lang: str, block: Block, rows: list[ReminderRow], names: dict[str, str]
) -> str:
    tz = block.tz
    texts = runtime.texts
    lines = [texts.text(lang, "deadlines-title", block=block.name)]
    deadlines: dict[tuple[str, str], datetime] = {}
    for row in rows:
        base = row.kind.removesuffix("-overdue")
        if base in ("report", "sign"):
            deadlines.setdefault((base, row.subject), row.deadline)
    for (base, subject), when in sorted(deadlines.items(), key=lambda item: item[1]):
        lines.append(
            texts.text(
                lang,
                f"deadlines-{base}",
                phase=names.get(subject, subject),
                due=format_datetime(when, tz),
            )
        )
    planned = [r for r in rows if r.kind in ("report", "sign", "phase-start")]
    if planned:
        lines.append("")
        lines.append(texts.text(lang, "deadlines-planned"))
        for row in planned[:15]:
            what = texts.text(
                lang, f"deadlines-what-{row.kind}", phase=names.get(row.subject, row.subject)
            )
            lines.append(f"• {format_datetime(row.due_at, tz)} – {what}")
    if len(lines) == 1:
        lines.append(texts.text(lang, "deadlines-none"))
    return "\n".join(lines)
