"""The bot's alarm clock: one job at the earliest moment the database says something is due.

Scheduled work (reminder rounds, phase start and end notices, missed-deadline lists,
ranking posts, notices' confirmation deadlines) is rows in the database. Each feature
registers a Work at start-up: how to send what is due now and when its next row is due.
The Wakeup keeps ONE job in PTB's job queue, NEXT_JOB, at the earliest of those times, and
replaces it whenever it is re-armed:
- when a Work is added (start-up: whatever fell due while the bot was down is caught up
  at once, as the rows are still planned);
- after every wake-up (the rows it sent are claimed, so the next one is found);
- when a handler has committed a change that may plan a row or move one (`rearm()`:
  the chair's /remind, a notice with a confirmation deadline, any future feature that
  plans rows). Services stay free of Telegram and of the scheduler: the Wakeup reads
  the plan from the database, so it needs no word on what changed.

A repeating job every SAFETY_NET seconds wakes it anyway, as the fixed tick used to: a
change made by another process (`thidua-bot setup` while the bot runs) and a row a
wake-up could not send (it stays planned) are picked up within that time.

Time is counted on the bot's clock (bot.services.clock): the job's delay is the clock's
distance to the due time, so a clock that runs at real speed from another moment (the
timing test's) is followed to the second. A clock that jumps (the demo's, the tests'
ManualClock) does not move the armed job: its driver fires the rounds it passes itself
(bot.demo.stage.Stage.travel, handlers.reminders.run_reminders) and the job, if it ever
comes, finds nothing due and re-arms. Job names are deterministic and PTB's public
JobQueue API is all that is used.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.jobs import SOON
from bot.runtime import runtime_of
from bot.services.clock import Clock

log = logging.getLogger(__name__)

NEXT_JOB = "wakeup-next"
SAFETY_JOB = "wakeup-safety-net"
# Seconds. Only a safety net: what this process plans re-arms the job itself. A minute
# keeps a block set up from the command line while the bot runs as punctual as the old
# fixed tick was, for the price of two indexed reads a minute.
SAFETY_NET = 60.0

# (after) -> the earliest due time strictly after `after` (None: the earliest of all).
NextDue = Callable[[datetime | None], Awaitable[datetime | None]]


@dataclass(frozen=True)
class Work:
    """One kind of scheduled work, as its feature registers it."""

    name: str  # unique; a second add() under the same name replaces the first
    send_due: Callable[[], Awaitable[object]]  # send everything due now (claims it)
    next_due: NextDue


class Wakeup:
    """One application's wake-up: the registered works and the job at the next due time."""

    def __init__(self, queue: Any, clock: Clock) -> None:
        self._queue = queue  # PTB's JobQueue; None when the application has none
        self._clock = clock
        self._works: dict[str, Work] = {}
        # Arming reads the plan and replaces the job as one step: a stale read must never
        # overwrite the job a later change armed.
        self._arming = asyncio.Lock()
        self._waking = asyncio.Lock()
        self._stopped = False
        self.next_at: datetime | None = None  # when the armed job fires (bot's clock)

    @property
    def running(self) -> bool:
        return self._queue is not None and not self._stopped

    async def add(self, work: Work) -> None:
        """Register a feature's work (at start-up) and arm for it."""
        self._works[work.name] = work
        if self.running and not self._queue.get_jobs_by_name(SAFETY_JOB):
            self._queue.run_repeating(_on_job, interval=SAFETY_NET, first=SAFETY_NET,
                                      name=SAFETY_JOB)
        await self.rearm()

    async def rearm(self, *, after: datetime | None = None) -> datetime | None:
        """Put the job at the earliest due time of every work (strictly after `after` if
        given); returns it. Call it after committing anything that may plan a row."""
        if not self.running:
            return None
        async with self._arming:
            times = [when for work in list(self._works.values())
                     if (when := await work.next_due(after)) is not None]
            for job in self._queue.get_jobs_by_name(NEXT_JOB):
                job.schedule_removal()
            self.next_at = min(times, default=None)
            if self.next_at is None:
                return None
            delay = (self.next_at - self._clock.now()).total_seconds()
            # misfire_grace_time None: run however late the job queue gets to it (it starts
            # after every start-up hook), never skip it as APScheduler would.
            self._queue.run_once(_on_job, when=max(delay, SOON), name=NEXT_JOB,
                                 job_kwargs={"misfire_grace_time": None})
            return self.next_at

    async def wake(self) -> None:
        """Send what is due in every work, then arm for what comes next."""
        async with self._waking:
            started = self._clock.now()
            works = list(self._works.values())
            # Side by side: a ranking post's chart must not hold up a notice's deadline.
            results = await asyncio.gather(*(work.send_due() for work in works),
                                           return_exceptions=True)
            for work, result in zip(works, results, strict=True):
                if isinstance(result, Exception):
                    # What it could not send stays planned: the safety net tries it again.
                    log.error("scheduled work %r failed; the safety net retries it",
                              work.name, exc_info=result)
            # Strictly after the start: a row still due then could not be sent, and must
            # not bring the next wake-up forward to now, again and again.
            await self.rearm(after=started)

    def stop(self) -> None:
        """No more wake-ups: the jobs go and rearm() does nothing (tests that fire the
        rounds themselves, see tests/e2e/harness.py)."""
        self._stopped = True
        self.next_at = None
        if self._queue is not None:
            for name in (NEXT_JOB, SAFETY_JOB):
                for job in self._queue.get_jobs_by_name(name):
                    job.schedule_removal()


def wakeup_of(target: Any) -> Wakeup:
    """The application's wake-up, from an Application or a handler's or job's context."""
    application = getattr(target, "application", None) or target
    runtime = runtime_of(application)
    if runtime.wakeup is None:
        runtime.wakeup = Wakeup(application.job_queue, runtime.clock)
    return runtime.wakeup


async def _on_job(context: Any) -> None:
    """Both jobs' callback: the armed time came, or the safety net's minute."""
    await wakeup_of(context).wake()
