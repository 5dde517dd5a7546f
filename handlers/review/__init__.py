"""/review: the chair appraises the phase's reports; /review done finishes the phase.

A unit's report opens in pages with the chair's tools; «✅ Chấp nhận và sang đơn vị tiếp
theo ▶» (and a return) goes on to the next report waiting. A question (points, then the
reason if the points are lower; a return's reason) is asked with a ForceReply prompt.

After a phase is finished, each hook in `runtime.review_done` (a feature registers one,
e.g. ranking) is awaited as `hook(application, block, phase)` to post the results.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.formatting import echo
from bot.services.reports.evidence import report_evidence
from bot.services.review import callbacks
from bot.services.review.appraisal import Review, open_for_change, report_to_review
from bot.services.review.callbacks import (
    Accept,
    AskPoints,
    AskReturn,
    FinishPhase,
    ListPhase,
    OpenPage,
    OpenUnit,
    SendEvidence,
)
from bot.services.review.flow import accept_and_next
from bot.services.review.phase import Finish, finish_review, review_overview
from handlers.common import awaiting, caller_of, chair_only, clear_input, expect_input, reply
from handlers.context import BotContext
from handlers.report.common import answer_press, ask, pressed_data, refuse_press, show
from handlers.review.evidence import evidence_pressed
from handlers.review.screens import FEATURE, appraiser_of, show_moved, show_report, show_result
from handlers.review.typed import on_review_text
from handlers.review.views import (
    narrative_in_full,
    overview_keyboard,
    overview_text,
    points_placeholder,
    points_prompt,
)

__all__ = ["COMMANDS", "FEATURE", "on_review_text", "register"]

COMMANDS = [command("review", Audience.CHAIR, Scope.PRIVATE)]

FORGED = "review.forged-press"


@chair_only
async def review_command(update: Update, context: BotContext) -> None:
    """List the units' report states for a phase (/review, /review DOT1, /review done)."""
    caller = caller_of(context)
    if caller.block is None:
        await reply(update, context, "common-not-registered")
        return
    if awaiting(context, FEATURE):
        clear_input(context)
    args = [a for a in (context.args or []) if a]
    if args and args[0].lower() == "done":
        await _finish(update, context, args[1] if len(args) > 1 else None, None)
        return
    await _overview(update, context, args[0] if args else None, None)


async def _overview(
    update: Update, context: BotContext, code: str | None, phase_id: int | None
) -> None:
    caller = caller_of(context)
    assert caller.block is not None
    runtime = context.runtime
    overview = await review_overview(runtime.db, runtime.clock, block=caller.block,
                                     phase_code=code, phase_id=phase_id)
    if overview is None:
        await reply(update, context, "review-no-phase", code=echo(code or ""))
        return
    await show(update, context, overview_text(context.t, overview, caller.language),
               overview_keyboard(context.t, overview))


async def _finish(
    update: Update, context: BotContext, code: str | None, phase_id: int | None
) -> None:
    caller = caller_of(context)
    assert caller.block is not None
    runtime = context.runtime
    result = await finish_review(runtime.db, runtime.clock, block=caller.block,
                                 actor_tg_id=caller.tg_user_id, phase_code=code,
                                 phase_id=phase_id)
    if result.outcome is Finish.UNKNOWN or result.phase is None:
        await reply(update, context, "review-no-phase", code=echo(code or ""))
        return
    params: dict[str, Any] = {"phase": result.phase.name}
    if result.outcome is Finish.PENDING:
        params["units"] = ", ".join(u.code for u in result.pending)
    await reply(update, context, f"review-done-{result.outcome.value}", **params)
    if result.outcome is Finish.FINISHED:
        for hook in runtime.review_done:
            await hook(context.application, caller.block, result.phase)


async def pressed(update: Update, context: BotContext) -> None:
    """Route a press on the review screens; chair rights and the report's block are
    re-checked from the database for every press. Answered together with the new screen."""
    await answer_press(update, context, lambda: _route(update, context))


async def _route(update: Update, context: BotContext) -> str | None:
    caller = caller_of(context)
    press = callbacks.parse(pressed_data(update))
    if press is None or not caller.is_chair or caller.block is None:
        return await refuse_press(update, context, FORGED)
    if not isinstance(press, AskPoints | AskReturn):  # any other press abandons a question
        clear_input(context)
    runtime, block = context.runtime, caller.block
    if isinstance(press, ListPhase):
        await _overview(update, context, None, press.phase_id)
    elif isinstance(press, FinishPhase):
        await _finish(update, context, None, press.phase_id)
    elif isinstance(press, OpenUnit | OpenPage) or (
        isinstance(press, Accept | AskReturn | AskPoints) and press.version is None
    ):
        # A changing button without the version its screen showed is from an earlier
        # release: nothing is changed on it; the report is shown as it is now.
        view = await report_to_review(runtime.db, runtime.clock, block=block,
                                      report_id=press.report_id)
        if view is None:
            return await refuse_press(update, context, FORGED)
        head = "" if isinstance(press, OpenUnit | OpenPage) else context.t("review-outdated")
        await show_report(update, context, view, head,
                          press.page if isinstance(press, OpenPage) else 0)
    elif isinstance(press, SendEvidence):
        found = await report_evidence(runtime.db, runtime.clock,
                                      evidence_dir=runtime.settings.evidence_dir, block=block,
                                      report_id=press.report_id)
        if found is None:
            return await refuse_press(update, context, FORGED)
        await evidence_pressed(update, context, found, press.criterion_id,
                               appraiser_of(caller))
    elif isinstance(press, Accept):
        moved = await accept_and_next(runtime.db, runtime.clock, runtime.texts, block=block,
                                      actor_tg_id=caller.tg_user_id,
                                      report_id=press.report_id, version=press.version,
                                      appraiser=appraiser_of(caller))
        if moved.result.outcome is Review.UNKNOWN:  # not a report of this block
            return await refuse_press(update, context, FORGED)
        await show_moved(update, context, moved, "review-accepted")
        return "review-not-yours" if moved.result.outcome is Review.NOT_YOURS else None
    else:
        return await _ask(update, context, press)
    return None


async def _ask(update: Update, context: BotContext, press: AskPoints | AskReturn) -> str | None:
    """Ask for a criterion's points or the return reason, if the report is still as the
    pressed screen showed it; the question remembers that version."""
    caller = caller_of(context)
    runtime, lang = context.runtime, caller.language
    assert caller.block is not None
    result = await open_for_change(
        runtime.db, runtime.clock, block=caller.block, report_id=press.report_id,
        version=press.version,
        criterion_id=press.criterion_id if isinstance(press, AskPoints) else None,
        appraiser=appraiser_of(caller),
    )
    if result.outcome is Review.UNKNOWN:  # not this block's, or a 0-point criterion
        return await refuse_press(update, context, FORGED)
    view = result.view
    if result.outcome is not Review.DONE or view is None:
        clear_input(context)
        await show_result(update, context, result, "")
        return "review-not-yours" if result.outcome is Review.NOT_YOURS else None
    if isinstance(press, AskPoints):
        assert result.criterion is not None
        expect_input(context, FEATURE, mode="points", report=press.report_id,
                     criterion=result.criterion.id, version=press.version)
        for part in narrative_in_full(context.t, view, result.criterion):
            await ask(update, context, part)  # a narrative too long for the question
        await ask(update, context, points_prompt(context.t, view, result.criterion, lang),
                  points_placeholder(context.t, result.criterion, lang))
    else:
        expect_input(context, FEATURE, mode="return", report=press.report_id,
                     version=press.version)
        await ask(update, context, context.t("review-ask-return", phase=view.phase.name,
                                              unit=view.unit.name),
                  context.t("review-placeholder-return"))
    return None


async def private_only(update: Update, context: BotContext) -> None:
    """In the group, point the chair to the private chat: appraisal is not done in public."""
    await reply(update, context, "review-private-only")


def register(application: Application) -> None:
    application.add_handler(
        CommandHandler("review", review_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(
        CommandHandler("review", private_only, filters=filters.ChatType.GROUPS)
    )
    application.add_handler(CallbackQueryHandler(pressed, pattern=callbacks.PATTERN))
