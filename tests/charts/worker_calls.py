"""Module-level functions the chart worker can call by name (tests/charts/test_loading.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.charts import RankingChart


def process_id(chart: RankingChart) -> bytes:
    """The worker's pid instead of a PNG."""
    return str(os.getpid()).encode()


def niceness(chart: RankingChart) -> bytes:
    """The worker's scheduling niceness instead of a PNG."""
    return str(os.nice(0)).encode()


def broken(chart: RankingChart) -> bytes:
    raise ValueError(f"cannot draw {chart.block_name}")


def die_marker(pid: int | None = None) -> Path:
    """The file that says the worker of test process `pid` (this process unless given)
    has died once already."""
    owner = os.getpid() if pid is None else pid
    return Path(tempfile.gettempdir()) / f"thidua-chart-worker-died-{owner}"


def die_once(chart: RankingChart) -> bytes:
    """The first call kills the worker (as the kernel would, out of memory); the next
    one (in a new worker) answers. The marker is named after the test process, the
    worker's parent."""
    marker = die_marker(os.getppid())
    if not marker.exists():
        marker.touch()
        os._exit(3)
    return process_id(chart)
