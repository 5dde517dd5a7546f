"""build_application(): the one place the PTB Application is put together."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.config import Settings
from bot.jobs import run_soon_and_every
from bot.lifecycle import TrackedApplication
from bot.menus import publish_menus
from bot.outbox.limiter import Pacer
from bot.polling import PacedPollRequest
from bot.runtime import RUNTIME_KEY, Runtime, runtime_of
from bot.services.clock import Clock, SystemClock
from bot.texts import catalog
from handlers import all_commands, register_all, run_startup
from handlers.context import BotApplication, BotContext
from storage.db import Database
from storage.migrate import upgrade_database

log = logging.getLogger(__name__)

# Telegram's documented-by-experience limits (DOMAIN.md): ~30 messages/s overall and
# ~20 messages/min into one group. The Pacer (bot.outbox.limiter) keeps them for every
# request and waits out a 429's retry_after, for its chat or, in a flood, for all.
OVERALL_MAX_RATE = 30
GROUP_MAX_RATE = 20
GROUP_TIME_PERIOD = 60
RATE_LIMIT_RETRIES = 3

# The WAL is checkpointed by this job, on the database thread, instead of by whichever
# commit crosses SQLite's 1,000 pages (storage.db.Database). Under load ~1,500 pages a
# second are written: checkpointed every second, the WAL stays at a few MB.
CHECKPOINT_EVERY = 1.0
CHECKPOINT_JOB = "db-checkpoint"


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    overall_max_rate: float = OVERALL_MAX_RATE,
    group_max_rate: float = GROUP_MAX_RATE,
    concurrent_updates: bool | int = False,
) -> BotApplication:
    """The bot. `concurrent_updates` is PTB's setting, for measurements only: the bot
    processes updates one after the other (PTB's default), which keeps each person's
    messages and presses in order (the typed-input state lives in user_data); charts and
    exports run with block=False, so none of them holds the others up.
    tests/benchmarks/load.py measured no gain from concurrency: the bot is CPU-bound."""
    token = settings.require_token()
    runtime = Runtime(
        settings=settings,
        db=Database(settings.database_url, background_checkpoints=True),
        clock=clock or SystemClock(),
        texts=catalog(),
        commands=all_commands(),
    )
    api = settings.bot_api_url
    updates: asyncio.Queue[Any] = asyncio.Queue()
    application: BotApplication = (
        ApplicationBuilder()
        .application_class(TrackedApplication)
        .token(token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(
            Pacer(
                overall_max_rate=overall_max_rate,
                group_max_rate=group_max_rate,
                group_time_period=GROUP_TIME_PERIOD,
                max_retries=RATE_LIMIT_RETRIES,
            )
        )
        .concurrent_updates(concurrent_updates)
        .update_queue(updates)
        .get_updates_request(PacedPollRequest(updates, runtime.unreadable_updates))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[RUNTIME_KEY] = runtime
    register_all(application)
    return application


async def _post_init(application: BotApplication) -> None:
    runtime = runtime_of(application)
    revisions = await upgrade_database(runtime.db)
    log.info("database at %s", ", ".join(revisions))
    await publish_menus(application.bot, runtime.texts, runtime.commands)
    await run_startup(application)
    if runtime.db.background_checkpoints:
        run_soon_and_every(application.job_queue, _checkpoint, interval=CHECKPOINT_EVERY,
                           name=CHECKPOINT_JOB)


async def _checkpoint(context: BotContext) -> None:
    await runtime_of(context.application).db.checkpoint()


async def _post_stop(application: BotApplication) -> None:
    """Application.stop() has awaited the tasks it started; the outbox's sends begun while
    it stopped are its own: wait for them while the bot's connection is still open, so
    no row is left half-sent and no task outlives the application."""
    runtime = runtime_of(application)
    if runtime.outbox is not None:
        await runtime.outbox.close()
        runtime.outbox = None


async def _post_shutdown(application: BotApplication) -> None:
    runtime = runtime_of(application)
    await runtime.db.close()
