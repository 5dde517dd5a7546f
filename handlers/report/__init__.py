"""/report and /myreport: a unit's report for a phase, filled through a form of buttons
(an overview, a page per criterion group, a question per criterion: form.py, question.py),
typed values and `CODE: value` lines (input.py), then submitted (submit.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.formatting import echo, format_date, format_points
from bot.outbox.sender import outbox_of
from bot.services.reports import callbacks
from bot.services.reports.callbacks import (
    AnswerYesNo,
    ChooseCriterion,
    OpenPage,
    OpenReport,
    PreviewSubmit,
    ShowValues,
)
from bot.services.reports.entry import ReportView, Save, answer_yesno, open_report, view_of
from bot.services.reports.my_results import load_my_results
from bot.services.reports.pages import form_pages
from bot.services.reports.submission import (
    Submit,
    SubmitResult,
    preview_submit,
    submit_report,
)
from handlers.common import caller_of, clear_input, expect_input, member_only, reply
from handlers.context import BotContext
from handlers.report import excel
from handlers.report import input as report_input
from handlers.report.common import answer_press, ask, pressed_data, refuse_press, show
from handlers.report.input import send_form, send_page
from handlers.report.question import question
from handlers.report.results import myreport_text
from handlers.report.submit import confirm_keyboard, missing_text, record, summary_text
from handlers.screens import answer_screen

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
                    code=echo(code or ""))
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
    press = callbacks.parse(pressed_data(update))
    if press is None or caller.unit is None or caller.block is None:
        return await refuse_press(update, context, FORGED)
    runtime = context.runtime
    if isinstance(press, OpenReport | OpenPage | ShowValues | ChooseCriterion):
        view = await view_of(runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
                             phase_id=press.phase_id)
        if view is None:
            return await refuse_press(update, context, FORGED)
        if isinstance(press, ChooseCriterion):
            return await _choose(update, context, view, press.criterion_id)
        if isinstance(press, ShowValues):
            for part in record(context.t, view, caller.language):
                await ask(update, context, part)
            return None
        clear_input(context)
        pages = form_pages(view.criteria)
        if isinstance(press, OpenPage) and press.page < len(pages):
            await send_page(update, context, view, pages[press.page])
        else:  # the overview; also a page that is no more (the table changed)
            await send_form(update, context, view)
        return None
    if isinstance(press, AnswerYesNo):
        result = await answer_yesno(
            runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
            actor_tg_id=caller.tg_user_id, phase_id=press.phase_id,
            criterion_id=press.criterion_id, answer=press.answer, lang=caller.language,
        )
        if result.outcome is Save.UNKNOWN:  # no such phase, or not a yes/no criterion
            return await refuse_press(update, context, FORGED)
        await report_input.show_save_result(update, context, result)
        return None
    if isinstance(press, PreviewSubmit):
        preview = await preview_submit(runtime.db, runtime.clock, block=caller.block,
                                       unit=caller.unit, phase_id=press.phase_id)
        if preview.view is not None:
            clear_input(context)
        return await _show_submit_result(update, context, preview)
    # ConfirmSubmit
    submitted = await submit_report(
        runtime.db, runtime.clock, runtime.texts, block=caller.block, unit=caller.unit,
        actor_tg_id=caller.tg_user_id, phase_id=press.phase_id,
    )
    return await _show_submit_result(update, context, submitted)


async def _choose(
    update: Update, context: BotContext, view: ReportView, criterion_id: int
) -> str | None:
    criterion = view.criterion(criterion_id)
    if criterion is None:
        return await refuse_press(update, context, FORGED)
    if not view.editable:
        await send_form(update, context, view)
        return "report-closed" if view.late_refused else "report-locked"
    expect_input(context, report_input.FEATURE, phase=view.phase.id, criterion=criterion.id)
    asked = question(context.t, view, criterion, caller_of(context).language)
    if asked.placeholder is None:  # yes/no: the question and its buttons replace the page
        await show(update, context, asked.text, asked.buttons)
        return None
    for part in asked.before:  # the narrative the question can only begin
        await ask(update, context, part)
    await ask(update, context, asked.text, asked.placeholder)
    return None


async def _show_submit_result(
    update: Update, context: BotContext, result: SubmitResult
) -> str | None:
    """The summary to confirm, the submitted form, or the form with why not."""
    if result.outcome is Submit.UNKNOWN or result.view is None:  # no such phase
        return await refuse_press(update, context, FORGED)
    view, lang = result.view, caller_of(context).language
    if result.outcome is Submit.SUBMITTED:
        outbox_of(context).wake()
        key = ("report-resubmitted" if result.resubmitted else
               "report-submitted-late" if result.late else "report-submitted")
        head = context.t(key, phase=view.phase.name, k=result.handed_in, n=result.units,
                         total=format_points(view.score.self_total, lang))
        await send_form(update, context, view, head)
        for part in record(context.t, view, lang):  # every value as submitted, never cut
            await ask(update, context, part)
    elif result.outcome is Submit.READY:
        await show(update, context, summary_text(context.t, view, result.late, lang),
                   confirm_keyboard(context.t, view))
    elif result.outcome is Submit.MISSING:
        await send_form(update, context, view, missing_text(context.t, view))
    else:
        key = {Submit.LOCKED: "report-locked", Submit.CLOSED: "report-closed"}.get(
            result.outcome, "report-press-refused")
        await send_form(update, context, view, context.t(key))
    return None


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
    await answer_screen(update, text)  # several messages when the results are long


async def private_only(update: Update, context: BotContext) -> None:
    """In the group, point to the private chat: a report is the unit's own business."""
    await reply(update, context, "report-private-only")


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    excel.register(application)  # first: it claims `/report excel` ahead of `/report`
    application.add_handler(CommandHandler("report", report_command, filters=private))
    application.add_handler(CommandHandler("myreport", myreport_command, filters=private))
    application.add_handler(
        CommandHandler(["report", "myreport"], private_only, filters=filters.ChatType.GROUPS)
    )
    application.add_handler(CallbackQueryHandler(pressed, pattern=callbacks.PATTERN))
    report_input.register(application)
