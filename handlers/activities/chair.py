"""The chair's side: /activity new (the wizard's typed steps and presses) and the
attendance list on the day (toggles, save)."""

from __future__ import annotations

from telegram import Update

from bot.outbox.sender import outbox_of
from bot.services.activities import callbacks
from bot.services.activities.attendance import Mark, open_list, save_list
from bot.services.activities.calendar import calendar_folder
from bot.services.activities.wizard import Screen, begin, pressed, resumable, typed
from bot.services.activities.wording import unit_names
from bot.wakeup import wakeup_of
from handlers.activities.views import attendance_screen, wizard_screen
from handlers.common import (
    answer_invalid_press,
    caller_of,
    chair_only,
    clear_input,
    expect_input,
    is_private,
    reply,
)
from handlers.context import BotContext
from handlers.screens import Markup, answer_screen, edit_screen

FEATURE = "activities"


async def _show(update: Update, context: BotContext, screen: Screen, *, edit: bool) -> None:
    caller = caller_of(context)
    texts = context.runtime.texts
    if screen.step == "none":
        clear_input(context)
        await reply(update, context, "activity-wizard-none")
        return
    if screen.step == "cancelled":
        clear_input(context)
        await _say(update, context, context.t("activity-wizard-cancelled"), edit=edit)
        return
    if screen.step == "done":
        clear_input(context)
        assert screen.created is not None
        outbox_of(context.application).wake()
        await wakeup_of(context.application).rearm()  # its reminders are planned rows
        await _say(update, context, context.t("activity-wizard-done",
                                              title=screen.created.activity.title,
                                              code=screen.created.activity.code), edit=edit)
        return
    expect_input(context, FEATURE, step="wizard")
    text, buttons = wizard_screen(context.t, texts, caller.language, screen)
    await _say(update, context, text, buttons, edit=edit)


async def _say(update: Update, context: BotContext, text: str, buttons: Markup | None = None, *,
               edit: bool) -> None:
    query = update.callback_query
    message = query.message if query else None
    if edit and message is not None:
        await edit_screen(context.bot, message.chat.id, message.message_id, text, buttons)
        return
    await answer_screen(update, text, buttons)


@chair_only
async def activity_command(update: Update, context: BotContext) -> None:
    """/activity new: the chair announces a joint activity, step by step."""
    if not is_private(update):
        await reply(update, context, "activity-private-only")
        return
    if not context.args or context.args[0].lower() != "new":
        await reply(update, context, "activity-usage")
        return
    runtime = context.runtime
    await _show(update, context, await begin(runtime.db, runtime.clock, caller_of(context)),
                edit=False)


async def on_wizard_text(update: Update, context: BotContext) -> None:
    """What the chair typed for the wizard's step."""
    message = update.effective_message
    if message is None or not message.text:
        return
    caller = caller_of(context)
    if not caller.is_chair:
        clear_input(context)
        return
    runtime = context.runtime
    await _show(update, context, await typed(runtime.db, runtime.clock, caller, message.text),
                edit=False)


async def has_draft(context: BotContext) -> bool:
    """Whether the caller has a wizard draft waiting for typed input (after a restart,
    user_data no longer says so)."""
    caller = caller_of(context)
    if not caller.is_chair:
        return False
    runtime = context.runtime
    screen = await resumable(runtime.db, runtime.clock, caller)
    return screen.step in ("title", "starts", "place", "answer_by")


async def on_wizard_press(update: Update, context: BotContext) -> None:
    """A wizard button: kind, criterion, skip, create, cancel."""
    query = update.callback_query
    parsed = callbacks.parse_wizard(query.data if query else None)
    if query is None:
        return
    if parsed is None:
        await answer_invalid_press(update, context)
        return
    caller = caller_of(context)
    if not caller.is_chair:
        await query.answer(context.t("common-chair-only"), show_alert=True)
        return
    runtime = context.runtime
    screen = await pressed(runtime.db, runtime.clock, caller, *parsed,
                           calendar_dir=calendar_folder(runtime.settings.evidence_dir),
                           texts=runtime.texts)
    await query.answer()
    await _show(update, context, screen, edit=True)


async def on_attendance_press(update: Update, context: BotContext) -> None:
    """The chair's attendance list: open it, toggle a unit, save it."""
    query = update.callback_query
    data = query.data if query else None
    one, toggled = callbacks.parse_one(data), callbacks.parse_toggle(data)
    if query is None:
        return
    if (one is None or one[0] not in ("m", "w")) and toggled is None:
        await answer_invalid_press(update, context)
        return
    runtime, caller = context.runtime, caller_of(context)
    if toggled is not None:
        view = await open_list(runtime.db, runtime.clock, caller, toggled[0], toggle=toggled[1])
    else:
        assert one is not None
        action, activity_id = one
        view = (await save_list(runtime.db, runtime.clock, caller, activity_id) if action == "w"
                else await open_list(runtime.db, runtime.clock, caller, activity_id))
    if view.outcome is Mark.UNKNOWN:
        await answer_invalid_press(update, context)
        return
    if view.outcome is Mark.NOT_CHAIR:
        await query.answer(context.t("common-chair-only"), show_alert=True)
        return
    if view.outcome is Mark.TOO_EARLY:
        await query.answer(context.t("activity-attendance-too-early"), show_alert=True)
        return
    await query.answer()
    text, buttons = attendance_screen(context.t, runtime.texts, caller.language, view)
    if view.outcome is Mark.SAVED:
        loaded = view.loaded
        assert loaded is not None
        criterion = loaded.criterion
        key = "activity-attendance-saved" if criterion else "activity-attendance-saved-plain"
        text = context.t(key, present=len(view.present), total=len(loaded.tree.units),
                         title=criterion.title if criterion else "",
                         phase=loaded.phase.name if loaded.phase else "")
        if view.skipped:
            text += "\n\n" + context.t("activity-attendance-skipped", names=unit_names(
                runtime.texts, caller.language, list(view.skipped), len(view.skipped)))
        await _say(update, context, text, buttons, edit=False)
        return
    await _say(update, context, text, buttons, edit=True)
