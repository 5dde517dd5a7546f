"""/announcements: recent notices with delivered / failed / confirmed counts; for one
notice the units that have not confirmed, a reminder for them, and the per-unit table."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Button, Buttons, rows
from bot.formatting import format_datetime
from bot.markup import inline_markup
from bot.outbox import split_text
from bot.outbox.sender import outbox_of
from bot.services.announce import callbacks
from bot.services.announce.callbacks import Detail
from bot.services.announce.copies import excerpt
from bot.services.announce.nudges import NUDGE_COOLDOWN, NudgeOutcome, nudge
from bot.services.announce.stats import Line, Report, recent_reports, report
from handlers.common import caller_of, chair_only
from handlers.context import BotContext
from storage.outbox.records import State

BUTTONS_PER_ROW = 5


def _summary_params(context: BotContext, rep: Report) -> dict[str, object]:
    failed = len(rep.failed)
    ann = rep.announcement
    acked = (context.t("announce-list-acked", acked=rep.standing.acked,
                       units=len(rep.standing.ack_units))
             if ann.ask_ack else context.t("announce-list-no-ack"))
    return {
        "id": ann.id, "time": format_datetime(ann.created_at, rep.block.tz),
        "excerpt": excerpt(ann), "sent": rep.sent, "total": rep.total, "acked": acked,
        "failed": context.runtime.texts.html(
            caller_of(context).language, "announce-list-failed", count=failed
        ) if failed else "",
    }


@chair_only
async def announcements_command(update: Update, context: BotContext) -> None:
    """List the block's recent notices, newest first."""
    caller = caller_of(context)
    message = update.effective_message
    if caller.block is None or message is None:
        return
    reports = await recent_reports(context.runtime.db, caller.block.id)
    if not reports:
        await message.reply_text(context.t("announce-list-empty"))
        return
    lines = [context.t("announce-list-title")]
    lines += [context.t("announce-list-item", **_summary_params(context, r)) for r in reports]
    buttons = [Button(f"#{r.announcement.id}", callbacks.detail(Detail.VIEW, r.announcement.id))
               for r in reports]
    keyboard = rows(*(buttons[i:i + BUTTONS_PER_ROW]
                      for i in range(0, len(buttons), BUTTONS_PER_ROW)))
    await message.reply_text("\n\n".join(lines), reply_markup=inline_markup(keyboard))


def detail_text(context: BotContext, rep: Report) -> str:
    params = _summary_params(context, rep)
    if rep.announcement.ask_ack:
        # The message count includes the group; say which units the confirmations count.
        params["acked"] = context.t("announce-detail-acked", acked=rep.standing.acked,
                                    units=len(rep.standing.ack_units))
    lines = [context.t("announce-detail", **params)]
    ann = rep.announcement
    if rep.queued:
        lines.append(context.t("announce-detail-sending", count=rep.queued))
    if ann.ask_ack and ann.ack_deadline is not None:
        lines.append(context.t("announce-detail-deadline",
                               deadline=format_datetime(ann.ack_deadline, rep.block.tz)))
    pending = rep.standing.pending_units
    if ann.ask_ack and pending:
        codes = ", ".join(u.code for u in pending)
        lines.append(context.t("announce-detail-pending", count=len(pending), codes=codes))
    elif ann.ask_ack:
        lines.append(context.t("announce-detail-all-acked"))
    return "\n".join(lines)


def detail_keyboard(context: BotContext, rep: Report) -> Buttons:
    ann_id = rep.announcement.id
    row = []
    pending = rep.standing.pending_units
    if rep.announcement.ask_ack and pending:
        row.append(Button(context.t("announce-btn-nudge", count=len(pending)),
                          callbacks.detail(Detail.NUDGE, ann_id)))
    row.append(Button(context.t("announce-btn-table"), callbacks.detail(Detail.TABLE, ann_id)))
    return rows(row)


def _delivery(context: BotContext, rep: Report, lines: tuple[Line, ...]) -> str:
    if not lines:
        return context.t("announce-delivery-none")
    states = []
    for line in lines:
        row = line.row
        if line.state is State.SENT and row is not None and row.finished_at is not None:
            states.append(context.t("announce-delivery-sent",
                                    time=format_datetime(row.finished_at, rep.block.tz)))
        elif line.state in (State.FAILED, State.UNREACHABLE):
            reason = ((row.last_error if row else None) or "") if line.state is State.FAILED \
                else context.t("announce-reason-unreachable")
            states.append(context.t("announce-delivery-failed", reason=reason[:120]))
        else:
            states.append(context.t("announce-delivery-pending"))
    return "; ".join(dict.fromkeys(states))  # one representative per unit usually: no repeats


def table_text(context: BotContext, rep: Report) -> str:
    lines = [context.t("announce-table-title", id=rep.announcement.id)]
    for index, unit in enumerate(rep.standing.ack_units, start=1):
        ack = rep.standing.acks.get(unit.id)
        if not rep.announcement.ask_ack:
            acked = context.t("announce-table-not-asked")
        elif ack is not None:
            acked = context.t("announce-table-acked", name=ack.full_name,
                              time=format_datetime(ack.at, rep.block.tz))
        else:
            acked = context.t("announce-table-not-acked")
        lines.append(context.t(
            "announce-table-row", index=index, code=unit.code, name=unit.name,
            delivery=_delivery(context, rep, rep.lines_of(unit.id)), ack=acked,
        ))
    return "\n".join(lines)


async def on_detail(update: Update, context: BotContext) -> None:
    """A notice's details, its reminder and its table (chair of that notice's block only)."""
    query = update.callback_query
    press = callbacks.parse_detail(query.data) if query else None
    if query is None or press is None or query.message is None:
        return
    caller = caller_of(context)
    action, ann_id = press
    rep = await report(context.runtime.db, ann_id)
    if (not caller.is_chair or caller.block is None or rep is None
            or rep.block.id != caller.block.id):
        await query.answer(context.t("common-chair-only"), show_alert=True)
        return
    chat_id = query.message.chat.id
    if action is Detail.VIEW:
        await query.answer()
        await context.bot.send_message(chat_id, detail_text(context, rep),
                                       reply_markup=inline_markup(detail_keyboard(context, rep)))
    elif action is Detail.TABLE:
        await query.answer()
        for part in split_text(table_text(context, rep)):
            await context.bot.send_message(chat_id, part)
    else:
        await _nudge(update, context, ann_id)


async def _nudge(update: Update, context: BotContext, ann_id: int) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    runtime, caller = context.runtime, caller_of(context)
    result = await nudge(runtime.db, runtime.clock, runtime.texts, caller, ann_id)
    if result.outcome is NudgeOutcome.TOO_SOON:
        assert caller.block is not None
        when = format_datetime(result.last_at, caller.block.tz) if result.last_at else ""
        await query.answer(context.t("announce-nudge-too-soon", time=when,
                                     minutes=int(NUDGE_COOLDOWN.total_seconds() // 60)),
                           show_alert=True)
        return
    if result.outcome is not NudgeOutcome.SENT:
        await query.answer(context.t("announce-nudge-none"), show_alert=True)
        return
    outbox_of(context).wake()
    await query.answer()
    await context.bot.send_message(query.message.chat.id, context.t(
        "announce-nudge-done", people=result.people, units=result.units))
