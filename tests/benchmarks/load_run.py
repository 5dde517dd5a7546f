"""One row of the load benchmark: an emulator here, the application in a child process.

The emulator and the driver run in this process, the application under test (baseline or
bot) in `tests.benchmarks.load_child`. Two processes keep the emulator's own CPU out of the
bot's figures (it costs both rows the same, and would otherwise dilute the ratio), give the
bot a peak RSS and a start-up time of its own, and let both use a core each. The child's
CPU time is read from /proc/<pid>/stat.

Both rows stay up for the whole run and play the stream in alternating segments (baseline,
bot, baseline, bot…), so a slower minute of a shared machine weighs on both rows alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.sandbox import BotApiEmulator
from tests.benchmarks.load_driver import Sample, Tracker, plan, run_stream
from tests.benchmarks.load_mix import WARM_UP, Action, actions, baseline_action
from tests.benchmarks.load_proc import (
    own_cpu,
    proc_cpu,
    proc_peak_rss_mb,
    profiler,
    spawn,
    stop,
    stop_profiler,
    wait_until,
)
from tests.benchmarks.load_seed import NOTICE_MARKER, Province

READY_TIMEOUT = 90.0  # start-up, notices delivered, warm-up: generous, reported anyway
# The group's "received" counter is edited at most every 3 s (handlers/announce/live.py):
# Config.settle waits that long for trailing work before stopping, so that its failures
# are counted too.
QUIET_BETWEEN = 0.2


@dataclass
class Config:
    updates: int
    lanes: int
    rate: float
    concurrency: int
    max_seconds: float
    timeout: float
    workdir: Path
    seed: int = 8
    profile: bool = False  # attach py-spy to the children during the window (if installed)
    settle: float = 3.5  # seconds of quiet awaited before stopping (trailing edits)
    cpu: int | None = None  # pin both children to this CPU (and this process to the others)


@dataclass
class RowResult:
    name: str
    samples: list[Sample] = field(default_factory=list)
    wall_s: float = 0.0  # sum over the segments of first update queued -> last answer
    cpu_s: float | None = None  # the child's CPU time from the first segment to the end
    emulator_cpu_s: float = 0.0  # this process's CPU time during the row's segments
    startup_s: float | None = None
    peak_rss_mb: float | None = None  # the child's whole life (getrusage at exit)
    serving_peak_mb: float | None = None  # VmHWM just before the stop signal
    failed_updates: list[str] = field(default_factory=list)
    error_records: int = 0
    error_samples: list[str] = field(default_factory=list)
    failed_calls: int = 0
    failed_call_samples: list[str] = field(default_factory=list)
    complete: bool = True  # every planned update was played within the time bound
    calls: dict[str, int] = field(default_factory=dict)  # Bot API calls in the segments


def populate(emu: BotApiEmulator, province: Province) -> None:
    for rep in province.reps:
        emu.add_user(rep.user_id, rep.name, started=True)
    for chat_id, title, members in province.groups():
        emu.add_group(chat_id, title, members=members)


def delivered_notices(emu: BotApiEmulator) -> int:
    return sum(1 for m in emu.world.sent if NOTICE_MARKER in (m.text or ""))


@contextlib.contextmanager
def driver_gc_paused() -> Iterator[None]:
    """No garbage collection in this process (the emulator and the driver) while a segment
    plays. Its heap grows with every message the emulator keeps and every sample, and a
    full collection took 66 ms, then 114, 208, 266 and 322 ms as a run went on (the GC's
    callbacks, timed): the emulator answered nothing meanwhile, and those pauses were
    counted as the latency of whichever row was playing. What is left over is collected
    between segments, outside the measurement."""
    gc.collect()
    gc.freeze()  # what exists now (the province, the warm-up) is never scanned again
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Row:
    """`async with Row(...) as row:` starts the emulator and the child and warms up;
    `await row.play(kinds)` plays one segment; leaving stops everything."""

    def __init__(self, name: str, mode: str, province: Province, cfg: Config,
                 db_url: str = "") -> None:
        self.mode, self.province, self.cfg, self.db_url = mode, province, cfg, db_url
        self.result = RowResult(name)
        self.users = [rep.user_id for rep in province.reps]
        self._actions = actions() if mode == "bot" else {}
        self._cpu0: float | None = None
        self._deadline = 0.0
        self._spy: subprocess.Popen[bytes] | None = None

    def action_of(self, kind: str) -> Action:
        if kind not in self._actions:
            self._actions[kind] = baseline_action(kind)
        return self._actions[kind]

    async def __aenter__(self) -> Self:
        self.emu = BotApiEmulator()
        await self.emu.start()
        try:
            populate(self.emu, self.province)
            self.tracker = Tracker(self.emu)
            spawned = time.time()
            self.child = spawn(self.mode, self.emu.url, self.emu.token, self.cfg.rate,
                               self.cfg.concurrency, self.cfg.workdir, self.db_url,
                               self.cfg.cpu)
            await wait_until(lambda: self.tracker.first_poll_at is not None,
                             "the first getUpdates", READY_TIMEOUT, self.child)
            self.result.startup_s = (self.tracker.first_poll_at or spawned) - spawned
            await self._warm_up()
        except BaseException:
            await self._close()
            raise
        self._deadline = asyncio.get_running_loop().time() + self.cfg.max_seconds
        return self

    async def _warm_up(self) -> None:
        """Not measured: the notices waiting in the outbox go out, everyone opens the report
        form once and each block's ranking is drawn once (the baseline answers as many
        messages), so both rows start the window with their caches filled."""
        if self.mode == "bot":
            await wait_until(lambda: delivered_notices(self.emu) >= self.province.notice_copies,
                             "the notices", READY_TIMEOUT, self.child)
        firsts = [next(r.user_id for r in self.province.reps if r.block == b and r.unit > 0)
                  for b in range(self.province.blocks)]
        deadline = asyncio.get_running_loop().time() + READY_TIMEOUT
        for kind, users in zip(WARM_UP, (self.users, firsts), strict=True):
            steps = plan([kind] * len(users), users, self.cfg.lanes)
            await run_stream(self.emu, self.tracker, steps, self.action_of,
                             deadline=deadline, answer_within=self.cfg.timeout)
        await self.emu.wait_idle(quiet=QUIET_BETWEEN, timeout=READY_TIMEOUT)
        self.tracker.failed_calls.clear()
        self.tracker.methods.clear()

    async def play(self, kinds: list[str], segment: int) -> None:
        """One segment of the stream; its wall time and samples add to the row's."""
        loop = asyncio.get_running_loop()
        if loop.time() >= self._deadline:
            self.result.complete = False
            return
        if self._cpu0 is None:
            if self.cfg.profile:
                out = self.cfg.workdir / f"{self.mode}.pyspy.txt"
                self._spy = profiler(self.child.pid, out)
            self._cpu0 = proc_cpu(self.child.pid)
        own0 = own_cpu()
        lanes = plan(kinds, self.users, self.cfg.lanes)
        with driver_gc_paused():
            samples = await run_stream(self.emu, self.tracker, lanes, self.action_of,
                                       deadline=self._deadline, answer_within=self.cfg.timeout,
                                       seed=self.cfg.seed * 100 + segment)
        self.result.emulator_cpu_s += own_cpu() - own0
        self.result.samples += samples
        self.result.complete &= len(samples) == len(kinds)
        answered = [s.end for s in samples if s.end is not None]
        if answered:
            self.result.wall_s += max(answered) - min(s.start for s in samples)
        await self.emu.wait_idle(quiet=QUIET_BETWEEN, timeout=30.0)

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        result = self.result
        try:
            if exc is None:
                settle = self.cfg.settle
                await self.emu.wait_idle(quiet=settle, timeout=max(settle * 4, 30.0))
                cpu1 = proc_cpu(self.child.pid)
                if self._cpu0 is not None and cpu1 is not None:
                    result.cpu_s = cpu1 - self._cpu0
                result.serving_peak_mb = proc_peak_rss_mb(self.child.pid)
        finally:
            if self._spy is not None:
                await stop_profiler(self._spy)
            await self._close()
        failed = self.tracker.failed_calls
        result.failed_calls = len(failed)
        result.failed_call_samples = [c.summary() for c in failed[:5]]
        result.calls = dict(self.tracker.methods)

    async def _close(self) -> None:
        try:
            child = getattr(self, "child", None)
            if child is not None:
                summary = await stop(child)
                result = self.result
                if "maxrss_kb" in summary:
                    result.peak_rss_mb = summary["maxrss_kb"] / 1024
                result.failed_updates = list(summary.get("failed_updates", []))
                result.error_records = int(summary.get("errors", -1))
                result.error_samples = list(summary.get("error_samples", []))
        finally:
            await self.emu.stop()
