"""The outbox's sending side: the application's one Outbox worker and its start-up."""

from __future__ import annotations

from typing import Any

from bot.jobs import run_soon_and_every
from bot.outbox.attempt import send_now
from bot.outbox.worker import Outbox
from bot.runtime import runtime_of

__all__ = ["Outbox", "outbox_of", "send_now", "start_outbox"]

_POLL_JOB = "outbox-poll"


def outbox_of(target: Any) -> Outbox:
    """The application's outbox, from an Application or a handler's context."""
    application = getattr(target, "application", None) or target
    runtime = runtime_of(application)
    if runtime.outbox is None:
        runtime.outbox = Outbox(runtime.db, runtime.clock, runtime.texts, application.bot,
                                policy=runtime.outbox_policy, application=application)
    return runtime.outbox


async def _poll(context: Any) -> None:
    outbox_of(context).wake()


def start_outbox(application: Any) -> Outbox:
    """Resume unfinished sends once the application runs, then look again every minute."""
    outbox = outbox_of(application)
    run_soon_and_every(
        application.job_queue, _poll, interval=outbox.policy.poll_interval, name=_POLL_JOB
    )
    return outbox
