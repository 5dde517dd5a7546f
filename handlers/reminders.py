"""Automatic reminders and scheduled notices; /remind and /deadlines.

The bot wakes at the next due row's time (bot.wakeup): this module registers the reminder
rows as one of the wake-up's works at start-up, after re-planning every block, so what was
missed while the bot was down is caught up at once. What is due comes from the database, so
a restart re-plans everything and loses nothing. The rules (what is due, the /remind
cooldown) live in bot.services.reminders; this module parses and answers.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.outbox.sender import outbox_of
from bot.runtime import Runtime, runtime_of
from bot.services.ranking.posts import charts_folder
from bot.services.reminders.deadlines import deadlines as deadlines_of
from bot.services.reminders.due import next_due, send_due
from bot.services.reminders.manual import COOLDOWN_MINUTES, MANUAL_KINDS, Outcome, remind_now
from bot.services.reminders.plan import replan_all
from bot.wakeup import Work, wakeup_of
from handlers.common import caller_of, chair_only, member_only, reply
from handlers.context import BotContext

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


def register(application: Application) -> None:
    application.add_handler(CommandHandler("remind", remind, filters=filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("deadlines", deadlines))
