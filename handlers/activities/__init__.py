"""Joint activities: /activity new, /activities, the answers on the group card and on each
unit's copy, the chair's attendance list, check-ins; and the activities' planned moments
as one of the wake-up's works (bot.wakeup), so a restart loses nothing.

The feature is four modules (this one, answer, chair, member) and views; register() wires
them all, so handlers.FEATURES needs only this module. Patterns and callback data come
from bot.services.activities.callbacks.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import Audience, Scope, command
from bot.outbox import Delivery
from bot.outbox.sender import outbox_of
from bot.runtime import runtime_of
from bot.services.activities import callbacks, schedule
from bot.services.activities.calendar import calendar_folder
from bot.services.activities.delivery import CARD_PREFIX
from bot.wakeup import Work, wakeup_of
from handlers.activities import answer, chair, member
from handlers.common import awaiting, awaiting_feature, is_private
from handlers.context import BotContext
from storage.outbox.records import State

COMMANDS = [
    command("activities", Audience.MEMBER, Scope.PRIVATE),
    command("activity", Audience.CHAIR, Scope.PRIVATE),
]

FEATURE = answer.FEATURE
WORK = "activities"  # the activities' planned moments among the wake-up's works
# After the other features' text groups (handlers.common: 1-3): typed answers of this one.
TEXT_GROUP_ACTIVITIES = 4


async def _send_due(application: Any) -> int:
    runtime = runtime_of(application)
    touched = await schedule.send_due(
        runtime.db, runtime.clock, runtime.texts,
        calendar_dir=calendar_folder(runtime.settings.evidence_dir))
    if touched:
        outbox_of(application).wake()
    for activity_id in touched:
        answer.request_card_refresh(application, activity_id)
    return len(touched)


async def run_due(application: Any) -> int:
    """Send every due moment now and re-arm the wake-up; for whoever moves the clock by
    hand (the demo, tests), as handlers.reminders.run_reminders."""
    done = await _send_due(application)
    await wakeup_of(application).rearm()
    return done


async def on_card_delivery(application: Any, delivery: Delivery) -> None:
    """Outbox hook for the card's batch: answers given before it was sent show at once."""
    if application is None or delivery.state is not State.SENT:
        return
    answer.request_card_refresh(application, int(delivery.batch.removeprefix(CARD_PREFIX)))


async def on_startup(application: Application) -> None:
    """Plan every activity again, then wake at each moment (at once for those missed)."""
    runtime = runtime_of(application)
    await schedule.replan_all(runtime.db, runtime.clock)
    outbox_of(application).subscribe(CARD_PREFIX, on_card_delivery)
    await wakeup_of(application).add(Work(WORK, send_due=partial(_send_due, application),
                                          next_due=partial(schedule.next_due, runtime.db)))


async def on_text(update: Update, context: BotContext) -> None:
    """Typed input this feature asked for: a reason, a count, names, a wizard step."""
    if not is_private(update):
        return
    state = awaiting(context, FEATURE)
    if state is None:
        # After a restart user_data is empty: a wizard draft in the database still waits.
        if awaiting_feature(context) is None and await chair.has_draft(context):
            await chair.on_wizard_text(update, context)
        return
    if state.get("step") == "wizard":
        await chair.on_wizard_text(update, context)
    elif state.get("step") in ("reason", "people", "names"):
        await answer.on_typed(update, context, state)


async def on_file(update: Update, context: BotContext) -> None:
    """A photo after «Điểm danh»."""
    state = awaiting(context, FEATURE)
    if state is not None and state.get("step") == "checkin":
        await member.on_checkin_file(update, context, int(state["activity"]))


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("activity", chair.activity_command))
    application.add_handler(CommandHandler("activities", member.activities_command,
                                           filters=private))
    for pattern, callback in (
        (callbacks.ANSWER_PATTERN, answer.on_answer),
        (callbacks.PEOPLE_PATTERN, answer.on_people_press),
        (callbacks.SKIP_PATTERN, answer.on_skip_names),
        (callbacks.DETAIL_PATTERN, member.on_detail_press),
        (callbacks.ATTENDANCE_PATTERN, chair.on_attendance_press),
        (callbacks.WIZARD_PATTERN, chair.on_wizard_press),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
                            group=TEXT_GROUP_ACTIVITIES)
    application.add_handler(MessageHandler(private & (filters.PHOTO | filters.Document.ALL),
                                           on_file), group=TEXT_GROUP_ACTIVITIES)
