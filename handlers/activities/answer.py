"""A unit answers an activity: the presses on the group card and on a representative's own
copy, the people count, the names, the reason typed after «Không tham gia»; and the edits
that follow (the unit's copies show who answered, the group counter moves, throttled)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot.runtime import runtime_of
from bot.services.activities import callbacks
from bot.services.activities.answers import (
    AnswerResult,
    Outcome,
    give_names,
    give_people,
    give_reason,
    press_answer,
)
from bot.services.activities.delivery import Edit, card_edits, copy_edits
from bot.services.activities.wording import (
    answer_line,
    names_buttons,
    people_buttons,
    when,
)
from handlers.common import (
    answer_invalid_press,
    caller_of,
    clear_input,
    expect_input,
    reply,
    together,
)
from handlers.context import BotContext
from handlers.screens import edit_screen, send_screen, unchanged

log = logging.getLogger(__name__)

FEATURE = "activities"


def request_card_refresh(application: Any, activity_id: int) -> None:
    """Edit the group card soon (at most every few seconds: ~20 messages a minute into a
    group, edits included); each edit reads the answers again, so the latest wins."""
    runtime = runtime_of(application)
    spawn = application.create_task if application.running else None

    async def refresh() -> None:
        for edit in await card_edits(runtime.db, runtime.texts, runtime.clock, activity_id):
            await _edit(application.bot, edit, "group card")

    runtime.notice_edits.request(spawn, f"activity-card:{activity_id}",
                                 runtime.notice_edit_intervals[0], refresh)


async def _edit(bot: Any, edit: Edit, what: str) -> None:
    try:
        await edit_screen(bot, edit.chat_id, edit.message_id, edit.text, edit.buttons)
    except BadRequest as exc:
        if not unchanged(exc):
            log.warning("activity %s %s/%s: %s", what, edit.chat_id, edit.message_id, exc)
    except TelegramError as exc:
        log.info("activity %s %s/%s not edited: %s", what, edit.chat_id, edit.message_id, exc)


async def refresh_unit(context: BotContext, result: AnswerResult,
                       pressed: tuple[int, int] | None = None) -> None:
    """The unit's copies (and the private message pressed) show its answer; the card moves."""
    if result.loaded is None or result.unit is None:
        return
    runtime = context.runtime
    activity_id = result.loaded.activity.id
    edits = await copy_edits(runtime.db, runtime.texts, runtime.clock, activity_id,
                             result.unit.id, pressed)
    await together(*(_edit(context.bot, edit, "copy") for edit in edits))
    request_card_refresh(context.application, activity_id)


def _who(context: BotContext, result: AnswerResult) -> dict[str, str]:
    answer, loaded = result.answer, result.loaded
    if answer is None or loaded is None:
        return {"name": "", "time": "", "answer": ""}
    lang = caller_of(context).language
    return {"name": answer.answered_name,
            "time": when(context.runtime.texts, lang, answer.answered_at, loaded.block.tz),
            "answer": context.t("activity-btn-yes" if answer.coming else "activity-btn-no")}


def _private_pressed(update: Update) -> tuple[int, int] | None:
    message = update.callback_query.message if update.callback_query else None
    if message is None or message.chat.type != ChatType.PRIVATE:
        return None
    return message.chat.id, message.message_id


async def on_answer(update: Update, context: BotContext) -> None:
    """«Tham gia» / «Không tham gia», on the group card or a representative's copy."""
    query = update.callback_query
    press = callbacks.parse_answer(query.data if query else None)
    if query is None:
        return
    if press is None:
        await answer_invalid_press(update, context)
        return
    runtime = context.runtime
    result = await press_answer(runtime.db, runtime.clock, caller_of(context), press)
    outcome = result.outcome
    if outcome is Outcome.UNKNOWN:
        await answer_invalid_press(update, context)
        return
    if outcome is Outcome.REFUSED:
        await query.answer(context.t("activity-refused"), show_alert=True)
        return
    if outcome is Outcome.CLOSED:
        assert result.loaded is not None
        closed = when(runtime.texts, caller_of(context).language,
                      result.loaded.activity.answer_by, result.loaded.block.tz)
        await query.answer(context.t("activity-closed", time=closed), show_alert=True)
        return
    if outcome is Outcome.ALREADY:
        await query.answer(context.t("activity-already", **_who(context, result)),
                           show_alert=True)
        return
    if outcome is Outcome.CONFLICT:  # the pressed copy now shows the answer that was kept
        await together(query.answer(context.t("activity-conflict", **_who(context, result)),
                                    show_alert=True),
                       refresh_unit(context, result, _private_pressed(update)))
        return
    assert result.loaded is not None and result.unit is not None
    private = _private_pressed(update) is not None
    user_chat = caller_of(context).tg_user_id
    activity_id = result.loaded.activity.id
    if outcome is Outcome.ASK_REASON:
        expect_input(context, FEATURE, step="reason", activity=activity_id,
                     revision=result.revision)
        await together(
            query.answer(None if private else context.t("activity-see-private")),
            _private(context, user_chat, context.t("activity-ask-reason",
                                                   title=result.loaded.activity.title)))
        return
    expect_input(context, FEATURE, step="people", activity=activity_id,
                 revision=result.revision)
    lang = caller_of(context).language
    await together(
        query.answer(context.t("activity-recorded-yes", unit=result.unit.name)),
        _private(context, user_chat,
                 context.t("activity-ask-people", title=result.loaded.activity.title),
                 people_buttons(runtime.texts, lang, activity_id, result.revision)),
        refresh_unit(context, result, _private_pressed(update)))


async def on_people_press(update: Update, context: BotContext) -> None:
    """A people-count button (1-10)."""
    query = update.callback_query
    parsed = callbacks.parse_people(query.data if query else None)
    if query is None:
        return
    if parsed is None:
        await answer_invalid_press(update, context)
        return
    activity_id, revision, count = parsed
    runtime = context.runtime
    result = await give_people(runtime.db, runtime.clock, caller_of(context), activity_id,
                               revision, count)
    await query.answer()
    await _after_people(update, context, result)


async def _after_people(update: Update, context: BotContext, result: AnswerResult) -> None:
    if result.outcome is not Outcome.RECORDED:
        await _text_refusal(update, context, result)
        return
    assert result.loaded is not None
    expect_input(context, FEATURE, step="names", activity=result.loaded.activity.id,
                 revision=result.revision)
    lang = caller_of(context).language
    await together(
        reply_buttons(update, context, context.t("activity-ask-names", count=result.answer.people
                                                 if result.answer else 0),
                      names_buttons(context.runtime.texts, lang, result.loaded.activity.id,
                                    result.revision)),
        refresh_unit(context, result))


async def reply_buttons(update: Update, context: BotContext, text: str, buttons: Any) -> None:
    await _private(context, caller_of(context).tg_user_id, text, buttons)


async def _private(context: BotContext, chat_id: int, text: str, buttons: Any = None) -> None:
    """The next question in the person's private chat (asked from the group card too): one
    who blocked the bot is simply not asked (the press was answered already)."""
    try:
        await send_screen(context.bot, chat_id, text, buttons)
    except TelegramError as exc:
        log.info("activity question to %s not sent: %s", chat_id, exc)


async def on_skip_names(update: Update, context: BotContext) -> None:
    """No names to give: the answer is complete."""
    query = update.callback_query
    if query is None:
        return
    if callbacks.parse_skip(query.data) is None:
        await answer_invalid_press(update, context)
        return
    clear_input(context)
    await query.answer()
    await reply(update, context, "activity-thanks")


async def _text_refusal(update: Update, context: BotContext, result: AnswerResult) -> None:
    """A step that could not be taken: why, in a message."""
    outcome = result.outcome
    if outcome is Outcome.BAD:
        return  # the caller words what was wrong with the input
    clear_input(context)
    if outcome is Outcome.CLOSED and result.loaded is not None:
        closed = when(context.runtime.texts, caller_of(context).language,
                      result.loaded.activity.answer_by, result.loaded.block.tz)
        await reply(update, context, "activity-closed", time=closed)
    elif outcome is Outcome.CONFLICT:
        await reply(update, context, "activity-conflict", **_who(context, result))
        await refresh_unit(context, result)
    elif outcome is Outcome.REFUSED:
        await reply(update, context, "activity-refused")
    else:
        await reply(update, context, "common-button-invalid")


async def on_typed(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    """The reason, the people count or the names the caller was asked for."""
    message = update.effective_message
    if message is None or not message.text:
        return
    runtime = context.runtime
    caller = caller_of(context)
    step, activity_id = state.get("step"), int(state["activity"])
    revision = int(state.get("revision", 0))
    text = message.text
    if step == "reason":
        result = await give_reason(runtime.db, runtime.clock, caller, activity_id, revision,
                                   text)
        if result.outcome is Outcome.BAD:
            await reply(update, context, "activity-bad-reason")
            return
        if result.outcome is Outcome.RECORDED:
            clear_input(context)
            assert result.unit is not None and result.loaded is not None
            line = answer_line(runtime.texts, caller.language, result.answer,
                               result.loaded.block.tz)
            await together(reply(update, context, "activity-recorded-no", line=line),
                           refresh_unit(context, result))
            return
        await _text_refusal(update, context, result)
    elif step == "people":
        digits = text.strip()
        count = int(digits) if digits.isascii() and digits.isdigit() else 0
        result = await give_people(runtime.db, runtime.clock, caller, activity_id, revision,
                                   count)
        if result.outcome is Outcome.BAD:
            await reply(update, context, "activity-bad-people")
            return
        await _after_people(update, context, result)
    elif step == "names":
        result = await give_names(runtime.db, runtime.clock, caller, activity_id, revision,
                                  text)
        if result.outcome is Outcome.BAD:
            await reply(update, context, "activity-bad-names")
            return
        if result.outcome is Outcome.RECORDED:
            clear_input(context)
            await together(reply(update, context, "activity-thanks"),
                           refresh_unit(context, result))
            return
        await _text_refusal(update, context, result)
