"""The wake-up's rules (bot.wakeup): one job at the earliest due time of every work, counted
on the bot's clock, replaced when re-armed, a safety net, and the database's next-due
reads it relies on. PTB's real job queue is exercised by tests/reminders/test_timing.py."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.jobs import SOON
from bot.services.clock import ManualClock
from bot.services.reminders.due import next_due
from bot.services.reminders.plan import replan_block
from bot.services.reminders.rounds import Round, fire_due
from bot.wakeup import NEXT_JOB, SAFETY_JOB, SAFETY_NET, Wakeup, Work
from storage import reminders as reminders_repo
from tests.reports.conftest import World

T0 = datetime(2023, 3, 1, 2, 0, tzinfo=UTC)


@dataclass
class FakeJob:
    queue: FakeQueue
    name: str
    when: float
    repeating: bool = False

    def schedule_removal(self) -> None:
        self.queue.jobs.remove(self)


@dataclass
class FakeQueue:
    """The part of PTB's JobQueue the wake-up uses."""

    jobs: list[FakeJob] = field(default_factory=list)

    def run_once(self, callback: Any, when: float, name: str, job_kwargs: Any = None) -> None:
        assert job_kwargs == {"misfire_grace_time": None}  # never skipped when late
        self.jobs.append(FakeJob(self, name, when))

    def run_repeating(self, callback: Any, interval: float, first: float, name: str) -> None:
        self.jobs.append(FakeJob(self, name, first, repeating=True))

    def get_jobs_by_name(self, name: str) -> list[FakeJob]:
        return [job for job in self.jobs if job.name == name]


@dataclass
class Rows:
    """A work over a list of due times: send_due claims those due on the clock."""

    clock: ManualClock
    times: list[datetime]
    broken: set[datetime] = field(default_factory=set)  # never sent: they stay planned
    sent: list[datetime] = field(default_factory=list)

    def work(self, name: str) -> Work:
        return Work(name, send_due=self.send_due, next_due=self.next_due)

    async def send_due(self) -> None:
        now = self.clock.now()
        if any(t <= now for t in self.broken):
            raise RuntimeError("a row that cannot be sent")
        due = [t for t in self.times if t <= now]
        self.sent += due
        self.times = [t for t in self.times if t > now]

    async def next_due(self, after: datetime | None) -> datetime | None:
        return min((t for t in self.times if after is None or t > after), default=None)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def armed(queue: FakeQueue) -> list[float]:
    return [job.when for job in queue.get_jobs_by_name(NEXT_JOB)]


def setup() -> tuple[ManualClock, FakeQueue, Wakeup]:
    clock = ManualClock(T0)
    queue = FakeQueue()
    return clock, queue, Wakeup(queue, clock)


async def test_one_job_at_the_earliest_time_of_every_work_replaced_when_rearmed() -> None:
    clock, queue, wakeup = setup()
    reports = Rows(clock, [at(90), at(30.5)])
    notices = Rows(clock, [at(12.25)])
    await wakeup.add(reports.work("reports"))
    assert armed(queue) == [30.5]  # counted on the bot's clock, to the fraction
    await wakeup.add(notices.work("notices"))
    assert armed(queue) == [12.25] and wakeup.next_at == at(12.25)
    clock.advance(timedelta(seconds=2))
    notices.times = [at(100)]  # the plan changed (a commit elsewhere): re-armed
    assert await wakeup.rearm() == at(30.5)
    assert armed(queue) == [28.5]
    assert [j.when for j in queue.get_jobs_by_name(SAFETY_JOB)] == [SAFETY_NET]


async def test_due_already_or_nothing_planned() -> None:
    clock, queue, wakeup = setup()
    rows = Rows(clock, [at(-60)])  # missed while the bot was down: caught up at once
    await wakeup.add(rows.work("rows"))
    assert armed(queue) == [SOON]
    rows.times = []
    assert await wakeup.rearm() is None
    assert armed(queue) == [] and wakeup.next_at is None
    assert len(queue.get_jobs_by_name(SAFETY_JOB)) == 1  # the safety net stays


async def test_wake_sends_every_work_and_arms_for_the_next() -> None:
    clock, queue, wakeup = setup()
    first = Rows(clock, [at(10), at(25)])
    second = Rows(clock, [at(10), at(40)])
    await wakeup.add(first.work("first"))
    await wakeup.add(second.work("second"))
    clock.set(at(10))
    await wakeup.wake()
    assert first.sent == [at(10)] and second.sent == [at(10)]
    assert armed(queue) == [15]


async def test_a_row_that_fails_neither_blocks_the_others_nor_loops() -> None:
    clock, queue, wakeup = setup()
    broken = Rows(clock, [at(5), at(20)], broken={at(5)})
    other = Rows(clock, [at(5), at(30)])
    await wakeup.add(broken.work("broken"))
    await wakeup.add(other.work("other"))
    clock.set(at(5))
    await wakeup.wake()  # the first work raises: logged, the second still sends
    assert other.sent == [at(5)]
    # Still due, but not armed for "now" again and again: the next row's time (20 s), and
    # the safety net tries the failed one again.
    assert armed(queue) == [15]


async def test_an_early_wake_finds_nothing_and_arms_again() -> None:
    clock, queue, wakeup = setup()
    rows = Rows(clock, [at(30)])
    await wakeup.add(rows.work("rows"))
    clock.set(at(29.5))  # the job fired half a second before the clock reached the row
    await wakeup.wake()
    assert rows.sent == [] and armed(queue) == [0.5]


async def test_stopped_it_arms_nothing() -> None:
    clock, queue, wakeup = setup()
    rows = Rows(clock, [at(30)])
    await wakeup.add(rows.work("rows"))
    wakeup.stop()
    assert queue.jobs == []
    assert await wakeup.rearm() is None
    await wakeup.add(rows.work("again"))
    assert queue.jobs == [] and not wakeup.running


async def test_without_a_job_queue_nothing_is_armed() -> None:
    wakeup = Wakeup(None, ManualClock(T0))
    await wakeup.add(Rows(ManualClock(T0), [at(1)]).work("rows"))
    assert wakeup.next_at is None


async def test_next_due_reads_the_plan_and_skips_what_is_not_after(world: World) -> None:
    await replan_block(world.db, world.block, world.clock)
    async with world.db.read() as conn:
        planned = sorted(r.due_at for r in await reminders_repo.all_rows(conn, world.block.id)
                         if r.state == reminders_repo.PLANNED)
    assert await next_due(world.db) == planned[0]
    assert await next_due(world.db, planned[0]) == planned[1]
    assert await next_due(world.db, planned[-1]) is None


async def test_a_round_that_fails_leaves_the_others_going(world: World) -> None:
    # A block that publishes self-scores has a ranking round after each deadline.
    block = dataclasses.replace(world.block, settings={**world.block.settings,
                                                       "publish_self_scores": True})
    await replan_block(world.db, block, world.clock)
    async with world.db.read() as conn:
        rows = {(r.kind, r.subject): r
                for r in await reminders_repo.upcoming(conn, world.block.id, world.clock.now())}
    failing, ranking, end = (rows[("report-overdue", "DOT1")], rows[("ranking", "DOT1")],
                             rows[("phase-end", "DOT1")])
    assert failing.due_at < ranking.due_at < end.due_at
    world.clock.set(end.due_at)  # the three are due, the failing one first

    async def render(conn: Any, rnd: Round) -> int:
        if rnd.row.id == failing.id:
            raise RuntimeError("cannot word this round")
        return 0

    fired = await fire_due(world.db, world.clock, render)
    assert [r.row.id for r in fired] == [ranking.id, end.id]
    async with world.db.read() as conn:
        states = {r.id: r.state for r in await reminders_repo.all_rows(conn, world.block.id)}
    assert states[failing.id] == reminders_repo.PLANNED  # tried again by the safety net
    assert states[ranking.id] == states[end.id] == "sent"
