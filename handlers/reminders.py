"""Automatic reminders and scheduled notices; /remind, /deadlines and «⏰ Nhắc lại sau».

The bot wakes at the next due row's time (bot.wakeup): this module registers the reminder
rows as one of the wake-up's works at start-up, after re-planning every block, so what was
missed while the bot was down is caught up at once. What is due comes from the database, so
a restart re-plans everything and loses nothing. The rules (what is due, the /remind
cooldown) live in bot.services.reminders; this module parses and answers.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.formatting import format_deadline
from bot.outbox.sender import outbox_of
from bot.runtime import Runtime, runtime_of
from bot.services.ranking.posts import charts_folder
from bot.services.reminders.callbacks import PATTERN, PREFIX, parse_snooze
from bot.services.reminders.deadlines import deadlines as deadlines_of
from bot.services.reminders.due import next_due, send_due
from bot.services.reminders.manual import COOLDOWN_MINUTES, MANUAL_KINDS, Outcome, remind_now
from bot.services.reminders.plan import replan_all
from bot.services.reminders.snooze import Snoozed, snooze
from bot.wakeup import Work, wakeup_of
from handlers.common import answer_invalid_press, caller_of, chair_only, member_only, reply
from handlers.context import BotContext

log = logging.getLogger(__name__)

COMMANDS = [
    command("deadlines", Audience.MEMBER, Scope.PRIVATE, Scope.GROUP),
    command("remind", Audience.CHAIR, Scope.PRIVATE),
]

WORK = "reminders"  # the reminder rows' name among the wake-up's works


def _charts(runtime: Runtime) -> Path:
    return charts_folder(runtime.settings.evidence_dir)


async def _send_due(application: Any) -> int:
    runtime = runtime_of(application)
    outbox = outbox_of(application)
    fired = await send_due(runtime.db, runtime.clock, runtime.texts, charts=_charts(runtime),
                           queued=outbox.wake)
    if fired:
        outbox.wake()
    return fired


async def run_reminders(application: Any) -> int:
    """Fire every due reminder row now and re-arm the wake-up for the next one; returns how
    many rounds went out. For whoever moves the clock by hand (the demo, tests)."""
    fired = await _send_due(application)
    await wakeup_of(application).rearm()
    return fired


async def on_startup(application: Application) -> None:
    """Re-plan every block, then have the bot wake at each row's time (at once for rows
    missed while it was down)."""
    runtime = runtime_of(application)
    await replan_all(runtime.db, runtime.clock)
    await wakeup_of(application).add(Work(WORK, send_due=partial(_send_due, application),
                                          next_due=partial(next_due, runtime.db)))


@chair_only
async def remind(update: Update, context: BotContext) -> None:
    """Send a reminder round now: /remind report or /remind sign."""
    caller = caller_of(context)
    what = context.args[0].lower() if context.args else ""
    if what not in MANUAL_KINDS or caller.block is None:
        await reply(update, context, "remind-usage")
        return
    runtime = context.runtime
    done = await remind_now(runtime.db, runtime.clock, runtime.texts, caller.block, what,
                            charts=_charts(runtime))
    if done.fired:
        outbox_of(context.application).wake()
    await wakeup_of(context.application).rearm()  # the round is claimed: the next one
    if done.outcome is Outcome.TOO_SOON:
        await reply(update, context, "remind-too-soon", minutes=COOLDOWN_MINUTES)
        return
    await reply(update, context, "remind-done" if done.outcome is Outcome.SENT
                else "remind-nothing")


@member_only
async def deadlines(update: Update, context: BotContext) -> None:
    """Show the coming deadlines and the planned reminders."""
    caller = caller_of(context)
    if caller.block is None:
        await reply(update, context, "common-not-registered")
        return
    runtime = context.runtime
    text = await deadlines_of(runtime.db, runtime.clock, runtime.texts, caller.block,
                              caller.language)
    message = update.effective_message
    if message is not None:
        await message.reply_text(text)


def _without_snooze(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The reminder's keyboard once snoozed: its other buttons (open, sign) stay."""
    if markup is None:
        return None
    rows = [[b for b in row if not str(b.callback_data or "").startswith(PREFIX)]
            for row in markup.inline_keyboard]
    return InlineKeyboardMarkup([row for row in rows if row])


async def snooze_pressed(update: Update, context: BotContext) -> None:
    """«⏰ Nhắc lại sau»: remind this person of this again later (2 hours, or next morning)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    press = parse_snooze(query.data)
    if press is None:
        await answer_invalid_press(update, context)
        return
    runtime = context.runtime
    result = await snooze(runtime.db, runtime.clock, tg_user_id=user.id, press=press)
    lang = caller_of(context).language
    if result.outcome is Snoozed.PLANNED:
        assert result.block is not None and result.until is not None
        await wakeup_of(context.application).rearm()  # wake at the snooze's time
        text = context.t("remind-snoozed", when=format_deadline(result.until, result.block.tz,
                                                                 lang))
    elif result.outcome is Snoozed.TOO_CLOSE:
        assert result.block is not None and result.deadline is not None
        text = context.t("remind-snooze-too-close",
                         due=format_deadline(result.deadline, result.block.tz, lang))
    elif result.outcome is Snoozed.NOTHING:
        text = context.t("remind-snooze-nothing")
    else:
        text = context.t("remind-snooze-refused")
    await query.answer(text, show_alert=result.outcome is not Snoozed.PLANNED)
    message = query.message
    if result.outcome in (Snoozed.PLANNED, Snoozed.NOTHING) and message is not None \
            and hasattr(message, "reply_markup"):
        try:
            await query.edit_message_reply_markup(_without_snooze(message.reply_markup))
        except TelegramError as exc:  # an old message, or already changed: the toast said it
            log.info("snoozed reminder's buttons not changed: %s", exc)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("remind", remind, filters=filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("deadlines", deadlines))
    application.add_handler(CallbackQueryHandler(snooze_pressed, pattern=PATTERN))
