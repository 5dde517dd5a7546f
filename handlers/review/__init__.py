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
from bot.formatting import format_points
from bot.outbox.sender import outbox_of
from bot.services.review.appraisal import (
    Review,
    ReviewResult,
    accept_report,
    appraise_criterion,
    report_view,
    return_report,
)
from bot.services.review.phase import Finish, finish_review, review_overview
from bot.services.scoring import scored
from handlers.common import awaiting, caller_of, chair_only, clear_input, expect_input, reply
from handlers.context import BotContext
from handlers.report.common import answer_press, press_ids, refuse_press, show
from handlers.report.views import example_points
from handlers.review.evidence import send_evidence
from handlers.review.views import (
    back_keyboard,
    detail_keyboard,
    detail_text,
    overview_keyboard,
    overview_text,
    points_prompt,
)

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
        await reply(update, context, "review-no-phase", code=code or "")
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
        await reply(update, context, "review-no-phase", code=code or "")
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
    data = update.callback_query.data if update.callback_query else ""
    kind = (data or "")[3:4]
    count = {"l": 1, "d": 1, "u": 1, "e": 1, "a": 1, "r": 1, "c": 2}.get(kind)
    ids = press_ids(update, f"rv:{kind}:", count) if count else None
    if ids is None or not caller.is_chair or caller.block is None:
        return await refuse_press(update, context, FORGED)
    if kind not in ("c", "r"):  # any other press abandons a pending question
        clear_input(context)
    if kind == "l":
        await _overview(update, context, None, ids[0])
        return None
    if kind == "d":
        await _finish(update, context, None, ids[0])
        return None
    runtime = context.runtime
    async with runtime.db.read() as conn:
        view = await report_view(conn, caller.block, ids[0], runtime.clock.now())
    if view is None or view.report is None:
        return await refuse_press(update, context, FORGED)
    if kind == "u":
        await show(update, context, detail_text(context.t, view, caller.language),
                   detail_keyboard(context.t, view))
    elif kind == "e":
        await send_evidence(update, context, view)
    elif kind == "a":
        result = await accept_report(runtime.db, runtime.clock, runtime.texts,
                                     block=caller.block, actor_tg_id=caller.tg_user_id,
                                     report_id=ids[0])
        await _show_result(update, context, result, "review-accepted")
    elif kind == "r":
        expect_input(context, FEATURE, mode="return", report=ids[0])
        await show(update, context, context.t("review-ask-return", phase=view.phase.name,
                                               unit=view.unit.name),
                   back_keyboard(context.t, ids[0]))
    else:
        criterion = view.criterion(ids[1])
        if criterion is None or not scored(criterion):  # 0-point criteria get no edit button
            return await refuse_press(update, context, FORGED)
        expect_input(context, FEATURE, mode="points", report=ids[0], criterion=criterion.id)
        await show(update, context, points_prompt(context.t, view, criterion, caller.language),
                   back_keyboard(context.t, ids[0]))
    return None


async def on_review_text(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    """The chair's typed points (and reason) or return reason; called by report_input."""
    caller = caller_of(context)
    message = update.effective_message
    if not caller.is_chair or caller.block is None or message is None or not message.text:
        clear_input(context)
        return
    runtime = context.runtime
    if state.get("mode") == "return":
        result = await return_report(runtime.db, runtime.clock, runtime.texts,
                                     block=caller.block, actor_tg_id=caller.tg_user_id,
                                     report_id=int(state["report"]), reason=message.text)
        await _show_result(update, context, result, "review-returned")
        return
    result = await appraise_criterion(
        runtime.db, runtime.clock, block=caller.block, actor_tg_id=caller.tg_user_id,
        report_id=int(state["report"]), criterion_id=int(state["criterion"]),
        text=message.text, lang=caller.language,
    )
    await _show_result(update, context, result, "review-points-saved")


# Problems the chair can fix by typing again: the question stays open.
_RETRY = (Review.BAD_POINTS, Review.OVER_LIMIT, Review.REASON_REQUIRED, Review.REASON_TOO_LONG)


async def _show_result(
    update: Update, context: BotContext, result: ReviewResult, done_key: str
) -> None:
    lang = caller_of(context).language
    view = result.view
    if result.outcome in _RETRY:
        maximum = result.criterion.max_points if result.criterion else Decimal(10)
        await reply(update, context, f"review-{result.outcome.value}",
                    limit=format_points(result.limit or 0, lang),
                    example=format_points(example_points(maximum), lang))
        return
    clear_input(context)
    if result.outcome is not Review.DONE or view is None or view.report is None:
        key = "review-wrong-state" if result.outcome is Review.WRONG_STATE else "review-unknown"
        await reply(update, context, key)
        return
    outbox_of(context).wake()
    head = context.t(
        done_key, phase=view.phase.name, unit=view.unit.name,
        title=result.criterion.title if result.criterion else "",
        points=format_points(result.points or 0, lang),
        total=format_points(view.score.total, lang),
        self_total=format_points(view.score.self_total, lang),
    )
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
    application.add_handler(CallbackQueryHandler(pressed, pattern=r"^rv:"))

