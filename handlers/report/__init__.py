"""/report and /myreport: a unit's report for a phase, filled through a form of buttons,
typed values and `CODE: value` lines (handlers/report/input.py), then submitted."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.formatting import format_date, format_points
from bot.outbox import split_text
from bot.outbox.sender import outbox_of
from bot.services.reports.entry import ReportView, open_report, save_value, view_of
from bot.services.reports.my_results import load_my_results
from bot.services.reports.submission import Submit, preview_submit, submit_report
from bot.services.scoring import NO, YES
from handlers.common import caller_of, clear_input, expect_input, member_only, reply
from handlers.context import BotContext
from handlers.report import input as report_input
from handlers.report.common import answer_press, press_ids, refuse_press, show
from handlers.report.input import send_form
from handlers.report.results import myreport_text
from handlers.report.views import (
    confirm_keyboard,
    missing_text,
    prompt,
    summary_text,
)

COMMANDS = [
    command("report", Audience.MEMBER, Scope.PRIVATE),
    command("myreport", Audience.MEMBER, Scope.PRIVATE),
]

FORGED = "report.forged-press"


@member_only
async def report_command(update: Update, context: BotContext) -> None:
    """Open the unit's report for the current phase (or the phase named: /report DOT1)."""
    caller = caller_of(context)
    if caller.unit is None or caller.block is None:
        await reply(update, context, "report-no-unit")
        return
    runtime = context.runtime
    code = context.args[0] if context.args else None
    view = await open_report(runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
                             phase_code=code)
    if view is None:
        await reply(update, context, "report-unknown-phase" if code else "report-no-phase",
                    code=code or "")
        return
    if not view.started:
        await reply(update, context, "report-phase-not-started", phase=view.phase.name,
                    start=format_date(view.phase.start))
        return
    report_input.forget(context)
    await send_form(update, context, view)


async def pressed(update: Update, context: BotContext) -> None:
    """Route a press on the form; every press re-checks the caller's unit and the phase.

    The press is answered together with the new screen, with a notice if any.
    """
    await answer_press(update, context, lambda: _route(update, context))


async def _route(update: Update, context: BotContext) -> str | None:
    caller = caller_of(context)
    data = update.callback_query.data if update.callback_query else ""
    kind = (data or "")[3:4]
    count = {"o": 1, "c": 2, "y": 3, "s": 1, "k": 1}.get(kind)
    ids = press_ids(update, f"rp:{kind}:", count) if count else None
    if ids is None or caller.unit is None or caller.block is None:
        return await refuse_press(update, context, FORGED)
    runtime = context.runtime
    view = await view_of(runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
                         phase_id=ids[0])
    if view is None:
        return await refuse_press(update, context, FORGED)
    handler = {"o": _open, "c": _choose, "y": _yesno, "s": _preview, "k": _submit}[kind]
    return await handler(update, context, view, ids)


async def _open(
    update: Update, context: BotContext, view: ReportView, ids: list[int]
) -> str | None:
    clear_input(context)
    await send_form(update, context, view)
    return None


async def _choose(
    update: Update, context: BotContext, view: ReportView, ids: list[int]
) -> str | None:
    criterion = view.criterion(ids[1])
    if criterion is None:
        return await refuse_press(update, context, FORGED)
    if not view.editable:
        await send_form(update, context, view)
        return "report-closed" if view.late_refused else "report-locked"
    expect_input(context, report_input.FEATURE, phase=view.phase.id, criterion=criterion.id)
    text, markup = prompt(context.t, view, criterion, caller_of(context).language)
    await show(update, context, text, markup)
    return None


async def _yesno(
    update: Update, context: BotContext, view: ReportView, ids: list[int]
) -> str | None:
    caller = caller_of(context)
    criterion = view.criterion(ids[1])
    if criterion is None or criterion.kind != "yesno" or ids[2] not in (0, 1):
        return await refuse_press(update, context, FORGED)
    assert caller.block is not None and caller.unit is not None
    runtime = context.runtime
    result = await save_value(
        runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
        actor_tg_id=caller.tg_user_id, phase_id=view.phase.id, criterion_id=criterion.id,
        text=YES if ids[2] else NO, lang=caller.language,
    )
    await report_input.show_save_result(update, context, result)
    return None


async def _preview(
    update: Update, context: BotContext, view: ReportView, ids: list[int]
) -> str | None:
    caller = caller_of(context)
    assert caller.block is not None and caller.unit is not None
    runtime = context.runtime
    clear_input(context)
    result = await preview_submit(runtime.db, runtime.clock, block=caller.block,
                                  unit=caller.unit, phase_id=view.phase.id)
    await _show_submit_result(update, context, result.outcome, result.view or view, result.late)
    return None


async def _submit(
    update: Update, context: BotContext, view: ReportView, ids: list[int]
) -> str | None:
    caller = caller_of(context)
    assert caller.block is not None and caller.unit is not None
    runtime = context.runtime
    result = await submit_report(
        runtime.db, runtime.clock, runtime.texts, block=caller.block, unit=caller.unit,
        actor_tg_id=caller.tg_user_id, phase_id=view.phase.id,
    )
    if result.outcome is Submit.SUBMITTED:
        outbox_of(context).wake()
        assert result.view is not None
        key = ("report-resubmitted" if result.resubmitted else
               "report-submitted-late" if result.late else "report-submitted")
        head = context.t(key, phase=result.view.phase.name, k=result.handed_in, n=result.units,
                         total=format_points(result.view.score.self_total, caller.language))
        await send_form(update, context, result.view, head)
        return None
    await _show_submit_result(update, context, result.outcome, result.view or view, result.late)
    return None


async def _show_submit_result(
    update: Update, context: BotContext, outcome: Submit, view: ReportView, late: bool
) -> None:
    lang = caller_of(context).language
    if outcome is Submit.READY:
        await show(update, context, summary_text(context.t, view, late, lang),
                   confirm_keyboard(context.t, view))
    elif outcome is Submit.MISSING:
        await send_form(update, context, view, missing_text(context.t, view))
    else:
        key = {Submit.LOCKED: "report-locked", Submit.CLOSED: "report-closed"}.get(
            outcome, "report-press-refused")
        await send_form(update, context, view, context.t(key))


@member_only
async def myreport_command(update: Update, context: BotContext) -> None:
    """Show the unit's reports of every phase with self and appraised points, and what the
    chair changed on appraisal with the reasons."""
    caller = caller_of(context)
    if caller.unit is None or caller.block is None:
        await reply(update, context, "report-no-unit")
        return
    results = await load_my_results(context.runtime.db, caller.block, caller.unit)
    text = myreport_text(context.t, results, caller.block, caller.unit, caller.language)
    for part in split_text(text):
        await update.effective_message.reply_text(part)  # type: ignore[union-attr]


async def private_only(update: Update, context: BotContext) -> None:
    """In the group, point to the private chat: a report is the unit's own business."""
    await reply(update, context, "report-private-only")


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("report", report_command, filters=private))
    application.add_handler(CommandHandler("myreport", myreport_command, filters=private))
    application.add_handler(
        CommandHandler(["report", "myreport"], private_only, filters=filters.ChatType.GROUPS)
    )
    application.add_handler(CallbackQueryHandler(pressed, pattern=r"^rp:"))
    report_input.register(application)
