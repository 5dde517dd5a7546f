"""The representative's side: open the unit's ballot, mark candidates, the summary, cast,
the receipt. The ballot is one message edited in place; its receipt replaces it, so after
casting the chat keeps the tracker and not the choices."""

from __future__ import annotations

from telegram import Update

from bot.outbox.sender import outbox_of
from bot.services.awards import callbacks as cb
from bot.services.awards.ballot import Ballot, BallotResult, press, start, start_current
from handlers.awards.screen import answer_press, show
from handlers.awards.views import already, ballot_page, ballot_summary, receipt
from handlers.common import caller_of
from handlers.context import BotContext

_REFUSALS = {
    Ballot.NOT_VOTER: "awards-refused-not-voter",
    Ballot.CLOSED: "awards-refused-closed",
    Ballot.NOT_YOURS: "awards-refused-not-yours",
    Ballot.UNKNOWN: "awards-refused-unknown",
    Ballot.SELF_VOTE: "awards-refused-self",
}


async def _render(update: Update, context: BotContext, result: BallotResult, *,
                  edit: bool) -> None:
    runtime = context.runtime
    lang = caller_of(context).language
    if result.outcome is Ballot.READY:
        await answer_press(update, context)
        view = ballot_summary if result.summary else ballot_page
        text, buttons = view(context.t, runtime.texts, lang, result)
        await show(update, context, text, buttons, edit=edit)
    elif result.outcome is Ballot.CAST:
        if result.queued:
            outbox_of(context).wake()
        await answer_press(update, context, "awards-cast-answer")
        await show(update, context, receipt(context.t, result), edit=True)
    elif result.outcome is Ballot.ALREADY:
        await answer_press(update, context, "awards-already-answer", alert=True)
        await show(update, context, already(context.t, result), edit=edit)
    elif result.outcome is Ballot.OVER_SEATS:
        assert result.state is not None
        seats = result.state.layout.awards[result.page].seats
        await answer_press(update, context, "awards-refused-seats", alert=True, seats=seats)
    elif result.outcome in (Ballot.CLOSED, Ballot.NOT_YOURS) and edit:
        await answer_press(update, context, _REFUSALS[result.outcome], alert=True)
        await show(update, context, context.t(_REFUSALS[result.outcome]), edit=True)
    else:
        key = _REFUSALS.get(result.outcome, "awards-refused-unknown")
        if update.callback_query is not None:
            await answer_press(update, context, key, alert=True)
        else:
            await show(update, context, context.t(key))


async def vote_command(update: Update, context: BotContext) -> None:
    """/binhxet of a representative: the unit's ballot of the vote now open."""
    caller = caller_of(context)
    if caller.block is None:
        return
    runtime = context.runtime
    result = await start_current(runtime.db, runtime.clock, block_id=caller.block.id,
                                 tg_user_id=caller.tg_user_id)
    if result.outcome is Ballot.CLOSED:
        await show(update, context, context.t("awards-none-open"))
        return
    await _render(update, context, result, edit=False)


async def open_pressed(update: Update, context: BotContext) -> None:
    """«Bỏ phiếu» under an invitation or a reminder: a new ballot (a new message)."""
    query = update.callback_query
    round_id = cb.parse_open_ballot(query.data) if query else None
    if query is None or round_id is None:
        return
    runtime = context.runtime
    result = await start(runtime.db, runtime.clock, round_id=round_id,
                         tg_user_id=query.from_user.id)
    await _render(update, context, result, edit=False)


async def ballot_pressed(update: Update, context: BotContext) -> None:
    """A button on the ballot: mark, page, summary, confirm."""
    query = update.callback_query
    parsed = cb.parse_ballot(query.data) if query else None
    if query is None:
        return
    if parsed is None:
        await answer_press(update, context, "common-button-invalid", alert=True)
        return
    runtime = context.runtime
    result = await press(runtime.db, runtime.clock, runtime.texts, press=parsed,
                         tg_user_id=query.from_user.id, name=query.from_user.full_name)
    await _render(update, context, result, edit=True)
