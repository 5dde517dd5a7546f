"""Run the bot for real: long polling, or a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

from urllib.parse import urlparse

from telegram import Update

from bot.charts.offloop import start_renderer, stop_renderer
from bot.config import Settings
from bot.factory import build_application
from bot.memory import freeze_startup_objects
from handlers.context import BotApplication


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
        assert settings.webhook_url is not None
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        # PTB's webhook server answers 403 to any POST without the right secret header.
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
