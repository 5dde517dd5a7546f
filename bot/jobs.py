"""Scheduling the bot's periodic work so that its first run is never silently a minute late.

A repeating job's first run is counted from when it is added, but PTB's job queue starts
only after every start-up hook and the polling bootstrap; when start-up takes longer than
`first`, APScheduler treats that first run as misfired and skips it, leaving the work idle
for a whole interval (seen by tests/benchmarks/load.py: a 30-block start left the outbox
idle for a minute). A one-off run with no misfire grace runs however late it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

SOON = 0.1  # seconds: "as soon as the application runs"

Job = Callable[[Any], Awaitable[None]]


def run_soon(queue: Any, callback: Job, *, name: str) -> None:
    """Run once as soon as the job queue runs, however late that is.

    Nothing when there is no job queue or a job of that name is already there: start-up
    hooks may run again (a second start of the application) without doubling the work.
    """
    if queue is None or queue.get_jobs_by_name(name):
        return
    queue.run_once(callback, when=SOON, name=name, job_kwargs={"misfire_grace_time": None})


def run_soon_and_every(queue: Any, callback: Job, *, interval: float, name: str) -> None:
    """Run once as soon as possible (catch-up after a restart), then every `interval`.

    The one-off is named `<name>-soon`, so anything that cancels by prefix cancels both.
    """
    if queue is None or queue.get_jobs_by_name(name):
        return
    queue.run_repeating(callback, interval=interval, first=interval, name=name)
    run_soon(queue, callback, name=f"{name}-soon")
