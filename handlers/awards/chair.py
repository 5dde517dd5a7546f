"""The chair's side of the vote: prepare (candidates, closing time), open, follow k/N,
close, results, runoffs, documents. Rights are the caller's now (database), the round
must be of the caller's block; the press's data only says which round."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.buttons import Button
from bot.outbox.sender import outbox_of
from bot.services.awards import callbacks as cb
from bot.services.awards.closing import Closed, close_vote
from bot.services.awards.documents import document
from bot.services.awards.guard import debug_logging
from bot.services.awards.opening import Opened, Runoff, open_vote, prepare_runoff
from bot.services.awards.prepare import (
    Closing,
    Edit,
    Prepared,
    change_candidate,
    drop,
    prepare,
    set_closing,
)
from bot.services.awards.record import chair_view
from bot.services.awards.state import VoteState
from bot.services.ranking.posts import charts_folder
from bot.wakeup import wakeup_of
from handlers.awards.screen import answer_press, show
from handlers.awards.views import candidates_editor, preparation, results, status
from handlers.common import caller_of, clear_input, expect_input, reply
from handlers.context import BotContext

FEATURE = "awards"

_OPEN_PROBLEMS = {
    Opened.NO_CLOSING: "awards-open-no-closing",
    Opened.NO_CANDIDATES: "awards-open-no-candidates",
    Opened.ANOTHER_OPEN: "awards-open-another",
    Opened.NOT_OPENABLE: "awards-open-not-openable",
}
_CLOSING_PROBLEMS = {
    Closing.PAST: "awards-closing-past",
    Closing.TOO_FAR: "awards-closing-too-far",
    Closing.UNREADABLE: "awards-closing-unreadable",
    Closing.NOT_EDITABLE: "awards-closing-not-editable",
}


async def _screen(update: Update, context: BotContext, state: VoteState, *,
                  edit: bool = False) -> None:
    """The screen that fits the round's state."""
    runtime = context.runtime
    lang = caller_of(context).language
    now = runtime.clock.now()
    if state.round.state in ("draft", "invalid"):
        text, buttons = preparation(context.t, runtime.texts, lang, state, now)
    elif state.round.state == "open":
        text, buttons = status(context.t, runtime.texts, lang, state)
    elif state.round.state == "closed":
        found = await chair_view(runtime.db, block_id=state.block.id, round_id=state.round.id)
        assert found is not None and found[1] is not None
        text, buttons = results(context.t, runtime.texts, lang, found[1])
    else:
        text, buttons = context.t("awards-counting"), ()
    await show(update, context, text, buttons, edit=edit)


async def chair_command(update: Update, context: BotContext) -> None:
    """/binhxet of the chair: the year's vote as it stands, prepared on first use."""
    caller = caller_of(context)
    block = caller.block
    assert block is not None
    runtime = context.runtime
    found = await prepare(runtime.db, runtime.clock, block, caller.tg_user_id)
    if found.outcome is Prepared.NO_AWARDS:
        await reply(update, context, "awards-no-awards")
    elif found.outcome is Prepared.NO_UNITS:
        await reply(update, context, "awards-no-units")
    else:
        assert found.state is not None
        await _screen(update, context, found.state)


async def document_command(update: Update, context: BotContext, which: str) -> None:
    """The minutes (biên bản) or the proposal (tờ trình) as a Word file."""
    caller = caller_of(context)
    block = caller.block
    message = update.effective_message
    if block is None or message is None:
        return
    runtime = context.runtime
    found = await document(runtime.db, runtime.texts, block, which)
    if found is None:
        await reply(update, context, "awards-doc-none")
        return
    await context.bot.send_document(
        message.chat_id, InputFile(found.content, filename=found.filename),
        caption=context.t("awards-doc-caption-m" if which == "m" else "awards-doc-caption-p",
                          block=block.name))


async def chair_pressed(update: Update, context: BotContext) -> None:
    """Every button of the chair's screens."""
    query = update.callback_query
    press = cb.parse_chair(query.data) if query else None
    if query is None:
        return
    if press is None:
        await answer_press(update, context, "common-button-invalid", alert=True)
        return
    caller = caller_of(context)
    if not caller.is_chair or caller.block is None:
        await answer_press(update, context, "common-chair-only", alert=True)
        return
    runtime = context.runtime
    block = caller.block
    rid = press.round_id
    if press.kind == "d":
        await answer_press(update, context)
        await document_command(update, context, press.closing)
        return
    if press.kind == "kt":
        expect_input(context, FEATURE, kind="closing", round_id=rid)
        await answer_press(update, context)
        await show(update, context, context.t("awards-ask-closing"),
                   ((Button(context.t("awards-button-cancel"), cb.CANCEL_INPUT),),))
        return
    if press.kind == "u":
        expect_input(context, FEATURE, kind="reason", round_id=rid, award=press.award,
                     unit_id=press.unit_id)
        await answer_press(update, context)
        await show(update, context, context.t("awards-ask-reason"),
                   ((Button(context.t("awards-button-cancel"), cb.CANCEL_INPUT),),))
        return
    if press.kind == "o":
        if debug_logging():
            await answer_press(update, context, "awards-debug-logging", alert=True)
            return
        opened = await open_vote(runtime.db, runtime.clock, runtime.texts, block_id=block.id,
                                 round_id=rid, actor_tg_id=caller.tg_user_id)
        if opened.outcome in (Opened.OPENED, Opened.REOPENED):
            outbox_of(context).wake()
            await wakeup_of(context.application).rearm()
            await answer_press(update, context, "awards-opened")
        else:
            await answer_press(update, context, _OPEN_PROBLEMS[opened.outcome], alert=True)
        if opened.state is not None:
            await _screen(update, context, opened.state, edit=True)
        return
    if press.kind == "k":
        outcome, state = await set_closing(runtime.db, runtime.clock, block_id=block.id,
                                           round_id=rid, spec=press.closing)
        await answer_press(update, context, _CLOSING_PROBLEMS.get(outcome),
                           alert=outcome is not Closing.SET)
        if state is not None:
            await _screen(update, context, state, edit=True)
        return
    if press.kind == "x":
        dropped = await drop(runtime.db, runtime.clock, block_id=block.id, round_id=rid,
                             actor_tg_id=caller.tg_user_id)
        await answer_press(update, context)
        await show(update, context, context.t("awards-dropped" if dropped
                                              else "awards-open-not-openable"), (), edit=True)
        return
    if press.kind == "z":
        # Answered first: counting draws the chart, which may take a few seconds.
        await answer_press(update, context, "awards-closing-now")
        closed = await close_vote(runtime.db, runtime.clock, runtime.texts, round_id=rid,
                                  by=caller.tg_user_id, block_id=block.id,
                                  charts=charts_folder(runtime.settings.evidence_dir))
        if closed.outcome is Closed.NOT_YET:
            await show(update, context, context.t("awards-close-not-all"))
        elif closed.outcome is Closed.NOT_OPEN:
            await show(update, context, context.t("awards-close-not-open"))
        else:
            outbox_of(context).wake()
            await wakeup_of(context.application).rearm()
        if closed.state is not None:
            await _screen(update, context, closed.state, edit=True)
        return
    if press.kind == "r":
        runoff = await prepare_runoff(runtime.db, runtime.clock, block_id=block.id,
                                      round_id=rid, award_index=press.award,
                                      actor_tg_id=caller.tg_user_id)
        if runoff.outcome is Runoff.NO_TIE or runoff.outcome is Runoff.NOT_CLOSED:
            await answer_press(update, context, "awards-runoff-none", alert=True)
        else:
            await answer_press(update, context)
        if runoff.state is not None and runoff.outcome is not Runoff.NOT_CLOSED:
            await _screen(update, context, runoff.state)
        return
    found = await chair_view(runtime.db, block_id=block.id, round_id=rid)
    if found is None:
        await answer_press(update, context, "awards-open-not-openable", alert=True)
        return
    await answer_press(update, context)
    state = found[0]
    if press.kind == "e" and state.round.state == "draft" and 0 <= press.award < len(
            state.layout.awards):
        text, buttons = candidates_editor(context.t, state, press.award)
        await show(update, context, text, buttons, edit=True)
    else:
        await _screen(update, context, state, edit=True)


async def typed(update: Update, context: BotContext, state: dict[str, object]) -> None:
    """The reason for a candidate change, or a closing time, as the chair typed it."""
    message = update.effective_message
    caller = caller_of(context)
    if message is None or not message.text or caller.block is None or not caller.is_chair:
        clear_input(context)
        return
    runtime = context.runtime
    round_id = int(str(state["round_id"]))
    block = caller.block
    if state.get("kind") == "closing":
        outcome, found = await set_closing(runtime.db, runtime.clock, block_id=block.id,
                                           round_id=round_id, spec=message.text)
        if outcome is Closing.UNREADABLE:
            await reply(update, context, "awards-closing-unreadable")
            return  # still waiting: the chair tries again
        clear_input(context)
        if outcome is not Closing.SET:
            await reply(update, context, _CLOSING_PROBLEMS[outcome])
        if found is not None:
            await _screen(update, context, found)
        return
    clear_input(context)
    result = await change_candidate(
        runtime.db, runtime.clock, block_id=block.id, round_id=round_id,
        award_index=int(str(state["award"])), unit_id=int(str(state["unit_id"])),
        reason=message.text, actor_tg_id=caller.tg_user_id)
    if result.outcome is Edit.DONE:
        assert result.state is not None
        await reply(update, context, "awards-candidate-added" if result.added
                    else "awards-candidate-removed")
        text, buttons = candidates_editor(context.t, result.state, int(str(state["award"])))
        await show(update, context, text, buttons)
    elif result.outcome is Edit.NO_REASON:
        await reply(update, context, "awards-ask-reason")
        expect_input(context, FEATURE, **{k: v for k, v in state.items() if k != "feature"})
    else:
        await reply(update, context, "awards-edit-not-draft")
        if result.state is not None:
            await _screen(update, context, result.state)
