"""Start and stop an application the way Application.run_polling() does, for callers that
already own the event loop (the demo, the end-to-end tests, the benchmarks), and know when
the work it started in the background is done.

PTB's Application.create_task runs a coroutine as a task whose errors reach the error
handlers, and Application.stop() awaits those tasks, but nothing public lists them. The bot
starts its own background work through it (outbox lanes, the ranking post, a notice's live
counter), and PTB runs the handlers registered with block=False (charts, exports) and
concurrent updates through it as well. TrackedApplication, the application class the
factory builds (ApplicationBuilder.application_class), keeps each of those tasks until it
ends, so the demo and the end-to-end harness can wait for them before they move the clock
or read the chats.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application

from handlers.context import BotApplication


class TrackedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application, keeping the tasks its create_task started until they end."""

    __slots__ = ("background",)

    def __init__(self, **kwargs: Any) -> None:
        self.background: set[asyncio.Task[Any]] = set()
        super().__init__(**kwargs)

    def create_task(self, coroutine: Any, update: object | None = None, *,
                    name: str | None = None) -> asyncio.Task[Any]:
        task = super().create_task(coroutine, update, name=name)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task


async def start_polling(app: BotApplication, *, poll_seconds: int = 1) -> None:
    """initialize -> post_init -> polling -> start, as run_polling orders them."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=poll_seconds)
    await app.start()


async def stop(app: BotApplication) -> None:
    """Stop polling and the application (post_stop closes the outbox), then shut down
    (post_shutdown closes the DB)."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def pending_app_tasks(app: BotApplication) -> set[asyncio.Task[object]]:
    """The application's unfinished tasks (those Application.create_task started: the
    bot's background work and PTB's block=False handlers), less the caller's own task.
    The application must have been built by bot.factory (a TrackedApplication)."""
    if not isinstance(app, TrackedApplication):
        raise TypeError("pending_app_tasks needs the application bot.factory builds "
                        f"(a TrackedApplication), not {type(app).__name__}")
    current = asyncio.current_task()
    return {t for t in app.background if not t.done() and t is not current}
