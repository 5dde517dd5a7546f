"""The chart worker process: `python -m bot.charts.worker`, started by bot.charts.offloop.

It reads requests on stdin and writes PNGs on stdout, one frame each way per chart:
a 4-byte big-endian length, then a pickle. A request is (module, function name, chart);
the answer is (True, png bytes) or (False, the error's traceback as text). It only ever
talks to the bot that started it, through its pipes.

matplotlib and the font are loaded before the first request is read, so that cost is
paid while the bot starts, not by the first person asking for a chart. The worker
ignores Ctrl-C (the terminal sends it to the whole process group; the bot stops it by
closing its stdin) and exits when stdin closes, so it never outlives the bot.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

from bot.charts.frames import read_frame, write_frame


def _render(module: str, name: str, chart: Any) -> tuple[bool, bytes | str]:
    try:
        fn = getattr(importlib.import_module(module), name)
        return True, bytes(fn(chart))
    except Exception:
        return False, traceback.format_exc()


def _malloc_trim() -> Callable[[int], object]:
    """glibc's malloc_trim, which hands freed heap pages back to the system; elsewhere
    (musl, macOS) a no-op."""
    try:
        trim: Callable[[int], object] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return lambda pad: 0
    return trim


_trim = _malloc_trim()


def _give_back_memory() -> None:
    """Between charts: a figure leaves reference cycles and a fragmented heap behind, and
    without this the worker grew by ~10 MB a chart (83 -> 146 MB over 12 charts)."""
    gc.collect()
    _trim(0)


# A chart can wait a moment; the bot's answers should not. When the worker wants a core
# the bot (or, on the benchmark's machine, the Bot API emulator answering the bot) wants
# too, the scheduler gives the worker only what is left over: at the lowest priority a
# drawn chart no longer widens everyone's latency (load benchmark: the 5 % of updates
# answered while a chart was drawn were most of the p95 tail at niceness 5), and it still
# gets whatever CPU is idle, so charts are not starved.
WORKER_NICENESS = 19


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    # The answers get the real stdout to themselves: anything a library prints goes to
    # stderr (the bot's log) instead of into the middle of a PNG.
    stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    stdin = sys.stdin.buffer
    from bot.charts import draw

    draw.clean("")  # matplotlib imported and the font's character map read, now
    # What is loaded now stays for the worker's life: out of the collector's reach, the
    # collection after each chart (_give_back_memory) scans only what the chart left:
    # ~2 ms instead of ~25 after a 9-unit ranking, CPU the bot no longer shares with it.
    gc.collect()
    gc.freeze()
    while (request := read_frame(stdin)) is not None:
        module, name, chart = request
        write_frame(stdout, _render(module, name, chart))
        _give_back_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
