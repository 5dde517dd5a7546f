"""Start and stop an application the way Application.run_polling() does, for callers that
already own the event loop (the demo, the end-to-end tests, the benchmarks)."""

from __future__ import annotations

from bot.runtime import BotApplication


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
