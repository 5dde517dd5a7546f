"""/review: the chair appraises the phase's reports; /review done finishes the phase.

After a phase is finished, each hook in `runtime.review_done` (a feature registers one,
e.g. ranking) is awaited as `hook(application, block, phase)` to post the results.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.formatting import echo
from bot.outbox.sender import outbox_of
from bot.services.reports.evidence import report_evidence
from bot.services.review import callbacks
from bot.services.review.appraisal import (
    Review,
    ReviewResult,
    accept_report,
    appraise_criterion,
    open_for_change,
    report_to_review,
    return_report,
)
from bot.services.review.callbacks import (
    Accept,
    AskPoints,
    AskReturn,
    FinishPhase,
    ListPhase,
    OpenUnit,
    SendEvidence,
)
from bot.services.review.phase import Finish, finish_review, review_overview
from handlers.common import awaiting, caller_of, chair_only, clear_input, expect_input, reply
from handlers.context import BotContext
from handlers.report.common import answer_press, pressed_data, refuse_press, show
from handlers.review.evidence import send_evidence
from handlers.review.results import done_text, retry_text, stale_text
from handlers.review.views import (
    back_keyboard,
    detail_keyboard,
    detail_text,
    narrative_in_full,
    overview_keyboard,
    overview_text,
    points_prompt,
)
from handlers.screens import answer_screen

COMMANDS = [command("review", Audience.CHAIR, Scope.PRIVATE)]

FEATURE = "review"
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
    runtime, block, lang = context.runtime, caller.block, caller.language
    if isinstance(press, ListPhase):
        await _overview(update, context, None, press.phase_id)
    elif isinstance(press, FinishPhase):
        await _finish(update, context, None, press.phase_id)
    elif isinstance(press, OpenUnit) or (
        isinstance(press, Accept | AskReturn | AskPoints) and press.version is None
    ):
        # A changing button without the version its screen showed is from an earlier
        # release: nothing is changed on it; the report is shown as it is now.
        view = await report_to_review(runtime.db, runtime.clock, block=block,
                                      report_id=press.report_id)
        if view is None:
            return await refuse_press(update, context, FORGED)
        head = "" if isinstance(press, OpenUnit) else context.t("review-outdated")
        await show(update, context, detail_text(context.t, view, lang, head),
                   detail_keyboard(context.t, view))
    elif isinstance(press, SendEvidence):
        found = await report_evidence(runtime.db, runtime.clock,
                                      evidence_dir=runtime.settings.evidence_dir, block=block,
                                      report_id=press.report_id)
        if found is None:
            return await refuse_press(update, context, FORGED)
        await send_evidence(update, context, found)
    elif isinstance(press, Accept):
        result = await accept_report(runtime.db, runtime.clock, runtime.texts, block=block,
                                     actor_tg_id=caller.tg_user_id, report_id=press.report_id,
                                     version=press.version)
        if result.outcome is Review.UNKNOWN:  # not a report of this block
            return await refuse_press(update, context, FORGED)
        await _show_result(update, context, result, "review-accepted")
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
    )
    if result.outcome is Review.UNKNOWN:  # not this block's, or a 0-point criterion
        return await refuse_press(update, context, FORGED)
    view = result.view
    if result.outcome is not Review.DONE or view is None:
        clear_input(context)
        await _show_result(update, context, result, "")
        return None
    if isinstance(press, AskPoints):
        assert result.criterion is not None
        expect_input(context, FEATURE, mode="points", report=press.report_id,
                     criterion=result.criterion.id, version=press.version)
        await show(update, context, points_prompt(context.t, view, result.criterion, lang),
                   back_keyboard(context.t, press.report_id))
        for part in narrative_in_full(context.t, view, result.criterion):
            await answer_screen(update, part)  # a narrative too long for the question
    else:
        expect_input(context, FEATURE, mode="return", report=press.report_id,
                     version=press.version)
        await show(update, context, context.t("review-ask-return", phase=view.phase.name,
                                               unit=view.unit.name),
                   back_keyboard(context.t, press.report_id))
    return None


def _state_version(state: dict[str, Any]) -> int | None:
    version = state.get("version")
    return version if isinstance(version, int) else None


async def on_review_text(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    """The chair's typed points (and reason), the reason alone for points that wait for
    one, or the return reason; called by report_input."""
    caller = caller_of(context)
    message = update.effective_message
    if not caller.is_chair or caller.block is None or message is None or not message.text:
        clear_input(context)
        return
    runtime = context.runtime
    if state.get("mode") == "return":
        result = await return_report(runtime.db, runtime.clock, runtime.texts,
                                     block=caller.block, actor_tg_id=caller.tg_user_id,
                                     report_id=int(state["report"]), reason=message.text,
                                     version=_state_version(state))
        await _show_result(update, context, result, "review-returned")
        return
    pending = state.get("pending")
    result = await appraise_criterion(
        runtime.db, runtime.clock, block=caller.block, actor_tg_id=caller.tg_user_id,
        report_id=int(state["report"]), criterion_id=int(state["criterion"]),
        text=message.text, lang=caller.language, version=_state_version(state),
        pending=Decimal(pending) if isinstance(pending, str) else None,
    )
    if result.outcome in _WAITING_FOR_REASON and result.points is not None:
        # The points are kept: the chair's next message may be the reason alone.
        expect_input(context, FEATURE, **{**_question(state), "pending": str(result.points)})
    await _show_result(update, context, result, "review-points-saved")


def _question(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k not in ("feature", "pending")}


# Problems the chair can fix by typing again: the question stays open.
_RETRY = (Review.BAD_POINTS, Review.OVER_LIMIT, Review.REASON_REQUIRED, Review.REASON_TOO_LONG)
_WAITING_FOR_REASON = (Review.REASON_REQUIRED, Review.REASON_TOO_LONG)


async def _show_result(
    update: Update, context: BotContext, result: ReviewResult, done_key: str
) -> None:
    if result.outcome in _RETRY:
        await answer_screen(update, retry_text(context.t, result, caller_of(context).language))
        return
    clear_input(context)
    view = result.view
    if result.outcome is Review.STALE and view is not None and view.report is not None:
        head = stale_text(context.t, result)
        await show(update, context, detail_text(context.t, view, caller_of(context).language,
                                                head),
                   detail_keyboard(context.t, view))
        return
    if result.outcome is not Review.DONE or view is None or view.report is None:
        key = "review-wrong-state" if result.outcome is Review.WRONG_STATE else "review-unknown"
        await reply(update, context, key)
        return
    outbox_of(context).wake()
    lang = caller_of(context).language
    head = done_text(context.t, result, done_key, lang)
    await show(update, context, detail_text(context.t, view, lang, head),
               detail_keyboard(context.t, view))


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

