"""Start and stop an application the way Application.run_polling() does, for callers that
already own the event loop (the demo, the end-to-end tests, the benchmarks)."""

from __future__ import annotations

import asyncio

from handlers.context import BotApplication

# PTB keeps the tasks Application.create_task started (handlers with block=False, hooks,
# outbox lanes) in this private set, to await them on stop(); nothing public lists them.
_CREATE_TASK_TASKS = "_Application__create_task_tasks"


async def start_polling(app: BotApplication, *, poll_seconds: int = 1) -> None:
    """initialize -> post_init -> polling -> start, as run_polling orders them."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=poll_seconds)
    await app.start()


async def stop(app: BotApplication) -> None:
    """Stop polling and the application, then shut down (post_shutdown closes the DB)."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def pending_app_tasks(app: BotApplication) -> set[asyncio.Task[object]]:
    """The application's unfinished tasks (those Application.create_task started), less
    the caller's own task. Raises RuntimeError if PTB no longer keeps them where we look,
    rather than quietly reporting none."""
    try:
        tasks: set[asyncio.Task[object]] = getattr(app, _CREATE_TASK_TASKS)
    except AttributeError:
        raise RuntimeError(
            f"python-telegram-bot no longer has Application.{_CREATE_TASK_TASKS}; "
            "pending_app_tasks needs another way to see the application's tasks") from None
    current = asyncio.current_task()
    return {t for t in tasks if not t.done() and t is not current}
