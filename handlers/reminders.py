"""Automatic reminders and scheduled notices; /remind and /deadlines.

The job wakes every minute (and at start, to catch up); what is due comes from the
database, so a restart re-plans everything and loses nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.jobs import run_soon_and_every
from bot.outbox.sender import outbox_of
from bot.runtime import runtime_of
from bot.services.ranking.posts import deliver_pending, request_ranking_post
from bot.services.reminders import texts as reminder_texts
from bot.services.reminders.plan import RANKING_KIND, replan_all
from bot.services.reminders.rounds import fire_due, remind_now
from handlers.common import caller_of, chair_only, member_only, reply
from handlers.context import BotContext
from storage import blocks as blocks_repo
from storage import reminders as reminders_repo

COMMANDS = [
    command("deadlines", Audience.MEMBER, Scope.PRIVATE, Scope.GROUP),
    command("remind", Audience.CHAIR, Scope.PRIVATE),
]

TICK_JOB = "reminders-tick"
MANUAL_COOLDOWN = timedelta(minutes=10)
# Minute offsets ("5m") are the finest the block file allows, so a one-minute tick is
# precise enough and keeps the scheduler's memory out of the picture.
TICK_SECONDS = 60.0


async def run_reminders(application: Any) -> int:
    """Fire every due reminder row; returns how many rounds went out."""
    runtime = runtime_of(application)

    async def render(conn: AsyncConnection, rnd: Any) -> int:
        if rnd.kind == RANKING_KIND:
            return await request_ranking_post(conn, rnd)
        return await reminder_texts.enqueue_round(conn, runtime, rnd)

    fired = await fire_due(runtime.db, runtime.clock, render)
    if any(rnd.kind == RANKING_KIND for rnd in fired):
        # Drawn after the claim committed: no write transaction waits on matplotlib.
        await deliver_pending(runtime)
    if fired:
        outbox_of(application).wake()
    return len(fired)


async def tick(context: Any) -> None:
    """Job callback: fire what is due."""
    await run_reminders(context.application)


async def on_startup(application: Application) -> None:
    """Re-plan every block, catch up what was missed, then wake every minute."""
    runtime = runtime_of(application)
    await replan_all(runtime.db, runtime.clock)
    run_soon_and_every(application.job_queue, tick, interval=TICK_SECONDS, name=TICK_JOB)


@chair_only
async def remind(update: Update, context: BotContext) -> None:
    """Send a reminder round now: /remind report or /remind sign."""
    caller = caller_of(context)
    what = context.args[0].lower() if context.args else ""
    if what not in ("report", "sign") or caller.block is None:
        await reply(update, context, "remind-usage")
        return
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.db.read() as conn:
        last = await reminders_repo.last_manual_at(conn, caller.block.id, what)
    if last is not None and now - last < MANUAL_COOLDOWN:
        # Units already got this nudge minutes ago; a second one only annoys them.
        await reply(
            update, context, "remind-too-soon", minutes=int(MANUAL_COOLDOWN.total_seconds() // 60)
        )
        return
    if not await remind_now(runtime.db, runtime.clock, caller.block, what):
        await reply(update, context, "remind-nothing")
        return
    count = await run_reminders(context.application)
    await reply(update, context, "remind-done" if count else "remind-nothing")


@member_only
async def deadlines(update: Update, context: BotContext) -> None:
    """Show the coming deadlines and the planned reminders."""
    caller = caller_of(context)
    if caller.block is None:
        await reply(update, context, "common-not-registered")
        return
    runtime = context.runtime
    async with runtime.db.read() as conn:
        rows = await reminders_repo.upcoming(conn, caller.block.id, runtime.clock.now())
        tree = await blocks_repo.load_tree(conn, caller.block)
    names = {p.code: p.name for p in tree.phases}
    text = reminder_texts.deadlines_text(runtime, caller.language, caller.block, rows, names)
    message = update.effective_message
    if message is not None:
        await message.reply_text(text)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("remind", remind, filters=filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("deadlines", deadlines))
