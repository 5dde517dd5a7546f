"""What the chair reads after a press or a typed answer on the appraisal: a page of the
report with the tools this caller may use, the next report waiting, or the question asked
again (results.py words it)."""

from __future__ import annotations

from telegram import Update

from bot.outbox.sender import outbox_of
from bot.services.access import Caller
from bot.services.reports.entry import ReportView
from bot.services.review.appraisal import Appraiser, Review, ReviewResult
from bot.services.review.flow import Moved
from handlers.common import caller_of, clear_input, reply
from handlers.context import BotContext
from handlers.report.common import ask, show
from handlers.review.results import done_text, retry_placeholder, retry_text, stale_text
from handlers.review.views import (
    detail_keyboard,
    detail_text,
    overview_keyboard,
    overview_text,
    page_index_of,
)

FEATURE = "review"


def appraiser_of(caller: Caller) -> Appraiser:
    """The caller as the appraisal's rules see them (their unit and admin rights, both
    resolved from the database for this update)."""
    return Appraiser(caller.unit.id if caller.unit else None, caller.is_admin)


async def show_report(
    update: Update, context: BotContext, view: ReportView, head: str = "", page: int = 0
) -> None:
    """A page of the unit's report with the tools this caller may use."""
    caller = caller_of(context)
    appraiser = appraiser_of(caller)
    await show(update, context,
               detail_text(context.t, view, caller.language, head, page, appraiser),
               detail_keyboard(context.t, view, page, appraiser))


# Problems the chair can fix by typing again: the question stays open.
RETRY = (Review.BAD_POINTS, Review.OVER_LIMIT, Review.REASON_REQUIRED, Review.REASON_TOO_LONG)
WAITING_FOR_REASON = (Review.REASON_REQUIRED, Review.REASON_TOO_LONG)


async def show_result(
    update: Update, context: BotContext, result: ReviewResult, done_key: str
) -> None:
    lang = caller_of(context).language
    if result.outcome in RETRY:
        await ask(update, context, retry_text(context.t, result, lang),
                  retry_placeholder(context.t, result, lang))
        return
    clear_input(context)
    view = result.view
    page = page_index_of(view, result.criterion.id) if view and result.criterion else 0
    if result.outcome in (Review.STALE, Review.NOT_YOURS) and view is not None \
            and view.report is not None:
        head = stale_text(context.t, result) if result.outcome is Review.STALE else ""
        await show_report(update, context, view, head, page)
        return
    if result.outcome is not Review.DONE or view is None or view.report is None:
        key = "review-wrong-state" if result.outcome is Review.WRONG_STATE else "review-unknown"
        await reply(update, context, key)
        return
    outbox_of(context).wake()
    await show_report(update, context, view, done_text(context.t, result, done_key, lang), page)


async def show_moved(
    update: Update, context: BotContext, moved: Moved, done_key: str
) -> None:
    """After accepting or returning a report: the next report waiting, or the list."""
    result = moved.result
    if result.outcome is not Review.DONE or result.view is None:
        await show_result(update, context, result, done_key)
        return
    outbox_of(context).wake()
    caller = caller_of(context)
    head = done_text(context.t, result, done_key, caller.language)
    if moved.following is not None:
        head += " " + context.t("review-next", unit=moved.following.unit.name)
        await show_report(update, context, moved.following, head)
    elif moved.overview is not None:
        head += "\n" + context.t("review-none-left")
        await show(update, context, overview_text(context.t, moved.overview, caller.language,
                                                  head),
                   overview_keyboard(context.t, moved.overview))
    else:
        await show_report(update, context, result.view, head)
