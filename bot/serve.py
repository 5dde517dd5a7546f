"""Run the bot for real: long polling, or a webhook when WEBHOOK_URL is set.

Long polling is PTB's run_polling (its getUpdates request is bot.polling's). The webhook is
the bot's own server (bot.webhook), run here the way run_webhook orders things: initialize,
post_init, listen and set the webhook, start; on SIGINT/SIGTERM the server stops taking
updates first, then the application stops and shuts down.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlparse

from telegram import Update

from bot import lifecycle
from bot.charts.offloop import start_renderer, stop_renderer
from bot.config import Settings
from bot.factory import build_application
from bot.memory import freeze_startup_objects
from bot.webhook import start_webhook
from handlers.context import BotApplication

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    application = build_application(settings)
    start_renderer()
    freeze_startup_objects()
    try:
        _run(application, settings)
    finally:
        stop_renderer()


def _run(application: BotApplication, settings: Settings) -> None:
    if settings.webhook_mode:
        asyncio.run(serve_webhook(application, settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


async def serve_webhook(application: BotApplication, settings: Settings,
                        stop: asyncio.Event | None = None) -> None:
    """Take updates by webhook until SIGINT/SIGTERM (or until `stop` is set)."""
    assert settings.webhook_url is not None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        # Requests without the right secret header are answered 403 (bot.webhook).
        server = await start_webhook(
            application,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(settings.webhook_url).path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
        )
        log.info("taking updates by webhook on %s:%d", settings.webhook_listen, server.port)
        try:
            await application.start()
            await stop.wait()
        finally:
            await server.stop()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await lifecycle.stop(application)
