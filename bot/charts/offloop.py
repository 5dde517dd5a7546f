"""Render a chart without holding up the bot: in a worker process of its own.

Drawing is pure CPU under the GIL. In a thread (the first design) it was off the event
loop but not off the interpreter: the load benchmark (issue 8) showed every update
answered while a chart was drawn taking about twice as long, and the drawing thread
holding the GIL for 7 % of the bot's time, so a few charts widened the latency of
everyone's /status and form presses. The worker (bot/charts/worker.py) draws on the other
core, and matplotlib with its render buffers stays out of the bot's own memory.

A plain child process on pipes rather than multiprocessing: a spawned multiprocessing
worker re-imports the bot's main module (PTB, SQLAlchemy, every handler) and brings a
resource-tracker process along; this one loads the chart modules and matplotlib only.

One worker, shared by every application of the process; one thread talks to it, so
renders run one after another (two at once finished later than one after the other,
measured with `python -m tests.benchmarks.charts`). `thidua-bot run` starts it at
start-up in the background (`start_renderer`: the matplotlib import takes a second or
two, never on a user's time); elsewhere (tests, the demo) the first chart starts it.
If the worker dies (killed for memory, say), a new one is started and the chart tried
once more; a render stuck for RENDER_TIMEOUT seconds kills it. Where no process can be
started at all, charts are drawn in the talking thread, as before, rather than not at all.
"""

from __future__ import annotations

import asyncio
import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any, TypeVar

from bot.charts.frames import read_frame, write_frame
from bot.charts.model import Chart

log = logging.getLogger(__name__)

C = TypeVar("C", bound=Chart)

RENDER_TIMEOUT = 120.0  # a 30-unit chart takes about half a second


class RenderError(RuntimeError):
    """The worker could not draw the chart (its traceback is the message)."""


class WorkerGone(RuntimeError):
    """The worker process died or stopped answering."""


class ChartWorker:
    """The worker process and the pipes to it; used from one thread at a time."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self) -> None:
        with self._lock:
            self._ensure()

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            # The worker finds the bot's modules where this process found them.
            path = os.pathsep.join(p or os.getcwd() for p in sys.path)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "bot.charts.worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": path, "MPLBACKEND": "Agg"},
            )
        return self._proc

    def render(self, fn: Callable[[C], bytes], chart: C) -> bytes:
        """Draw in the worker (blocking); one more try with a new worker if it died."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._call(self._ensure(), fn, chart)
                except WorkerGone:
                    self._kill()
                    if attempt == 2:
                        raise
                    log.warning("the chart worker stopped; starting a new one")
        raise AssertionError("unreachable")

    def _call(self, proc: subprocess.Popen[bytes], fn: Callable[[C], bytes], chart: C) -> bytes:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            write_frame(proc.stdin, (fn.__module__, fn.__qualname__, chart))
        except (BrokenPipeError, OSError) as exc:
            raise WorkerGone(str(exc)) from exc
        answer = _read_within(proc.stdout, time.monotonic() + RENDER_TIMEOUT)
        if answer is None:
            raise WorkerGone("no answer")
        ok, payload = answer
        if not ok:
            raise RenderError(str(payload))
        return bytes(payload)

    def stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()  # the worker exits at the end of its input
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()


def _read_within(stream: IO[bytes], deadline: float) -> Any | None:
    """read_frame, but giving up (None) once `deadline` passes with nothing to read."""
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
        return None
    try:
        return read_frame(stream)
    except (OSError, EOFError, ValueError):
        return None


_worker = ChartWorker()
# The one thread that talks to the worker (and draws itself if no worker can start).
_talker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart-render")


def _render_blocking(fn: Callable[[C], bytes], chart: C) -> bytes:
    try:
        return _worker.render(fn, chart)
    except OSError as exc:  # no process can be started here: draw in this thread
        log.warning("charts drawn in a thread: no worker process (%s)", exc)
        return fn(chart)


async def render_off_loop(fn: Callable[[C], bytes], chart: C) -> bytes:
    """`await render_off_loop(render_ranking, chart)` -> PNG bytes, drawn in the worker.
    `fn` must be a module-level function: the worker imports it by name."""
    if "<" in fn.__qualname__:
        raise ValueError(f"{fn.__qualname__}: the chart worker can only call module-level "
                         "functions")
    return await asyncio.get_running_loop().run_in_executor(_talker, _render_blocking, fn, chart)


def start_renderer() -> None:
    """Start the worker now, so that the first chart does not wait for matplotlib."""
    try:
        _worker.start()
    except OSError as exc:
        log.warning("no chart worker process (%s): charts will be drawn in a thread", exc)


def stop_renderer() -> None:
    """Let the worker finish and exit (the bot is stopping)."""
    _worker.stop()


def renderer_pid() -> int | None:
    """The worker's process id, while it runs."""
    return _worker.pid

