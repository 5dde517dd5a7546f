"""Helpers for the sandbox tests: a PNG maker and a polling Application context."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator

from PIL import Image
from telegram.ext import Application, ApplicationBuilder, BaseHandler

from bot.sandbox import BotApiEmulator


def png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "PNG")
    return buffer.getvalue()


def build_app(emu: BotApiEmulator) -> Application:
    return (ApplicationBuilder().token(emu.token).base_url(f"{emu.url}/bot")
            .base_file_url(f"{emu.url}/file/bot").build())


@contextlib.asynccontextmanager
async def polling_app(emu: BotApiEmulator,
                      *handlers: BaseHandler) -> AsyncIterator[Application]:
    """A real Application polling the emulator (1 s long polls), stopped cleanly afterwards."""
    app = build_app(emu)
    for handler in handlers:
        app.add_handler(handler)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
