"""What the chair types on the appraisal: a criterion's points (and the reason when they
are lower, asked next), the reason alone for points that wait for one, or why a report
goes back; called by handlers/report/input.py, whose text handler serves both features."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telegram import Update

from bot.services.review.appraisal import appraise_criterion
from bot.services.review.flow import return_and_next
from handlers.common import caller_of, clear_input, expect_input
from handlers.context import BotContext
from handlers.review.screens import (
    FEATURE,
    WAITING_FOR_REASON,
    appraiser_of,
    show_moved,
    show_result,
)


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
        moved = await return_and_next(runtime.db, runtime.clock, runtime.texts,
                                      block=caller.block, actor_tg_id=caller.tg_user_id,
                                      report_id=int(state["report"]), reason=message.text,
                                      version=_state_version(state),
                                      appraiser=appraiser_of(caller))
        await show_moved(update, context, moved, "review-returned")
        return
    pending = state.get("pending")
    result = await appraise_criterion(
        runtime.db, runtime.clock, block=caller.block, actor_tg_id=caller.tg_user_id,
        report_id=int(state["report"]), criterion_id=int(state["criterion"]),
        text=message.text, lang=caller.language, version=_state_version(state),
        pending=Decimal(pending) if isinstance(pending, str) else None,
        appraiser=appraiser_of(caller),
    )
    if result.outcome in WAITING_FOR_REASON and result.points is not None:
        # The points are kept: the chair's next message may be the reason alone.
        expect_input(context, FEATURE, **{**_question(state), "pending": str(result.points)})
    await show_result(update, context, result, "review-points-saved")


def _question(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k not in ("feature", "pending")}
