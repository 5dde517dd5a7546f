"""The child processes of the load benchmark: starting, stopping, CPU time, peak RSS, and
an optional py-spy profile. CPU and RSS are read from Linux /proc (the CI runs Debian)."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 30.0


def spawn(mode: str, api: str, token: str, rate: float, concurrency: int, workdir: Path,
          db_url: str = "", cpu: int | None = None) -> subprocess.Popen[bytes]:
    """Start `python -m tests.benchmarks.load_child`; its log goes to <workdir>/<mode>.log."""
    cmd = [sys.executable, "-m", "tests.benchmarks.load_child", mode, "--api", api,
           "--token", token, "--rate", str(rate), "--concurrency", str(concurrency)]
    if cpu is not None:
        cmd += ["--cpu", str(cpu)]
    if mode == "bot":
        cmd += ["--db", db_url, "--evidence", str(workdir / "evidence")]
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    with (workdir / f"{mode}.log").open("wb") as log:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log)


async def wait_until(check: Callable[[], bool], what: str, within: float,
                     child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + within
    while not check():
        if child.poll() is not None:
            raise RuntimeError(f"waiting for {what}: the child exited ({child.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def stop(child: subprocess.Popen[bytes]) -> dict[str, Any]:
    """SIGTERM (run_polling stops gracefully), then the child's JSON summary line."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
    try:
        out, _ = await asyncio.to_thread(child.communicate, timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        out, _ = await asyncio.to_thread(child.communicate)
    lines = out.decode(errors="replace").strip().splitlines()
    try:
        return dict(json.loads(lines[-1]))
    except (IndexError, ValueError):
        return {}


def descendants(pid: int) -> list[int]:
    """A live process and every process under it (the bot's chart worker)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def proc_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a live process and its children, all their threads."""
    total, seen = 0.0, False
    for member in descendants(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seen = True
        # utime, stime, and the CPU of children already waited for (cutime, cstime)
        total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK") if seen else None


def proc_peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a live process plus its children's, in MB."""
    total, seen = 0, False
    for member in descendants(pid):
        try:
            lines = Path(f"/proc/{member}/status").read_text().splitlines()
        except OSError:
            continue
        found = next((line.split()[1] for line in lines if line.startswith("VmHWM:")), None)
        if found:
            total, seen = total + int(found), True
    return total / 1024 if seen else None


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def profiler(pid: int, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy sampling a child (collapsed stacks, threads holding the GIL); None when py-spy
    is not installed. A diagnosis tool (`pip install py-spy`), not a dependency."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is not installed: no profile", file=sys.stderr)
        return None
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--format", "raw", "--gil",
                             "--rate", "250", "--output", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def stop_profiler(spy: subprocess.Popen[bytes]) -> None:
    spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    try:
        await asyncio.to_thread(spy.wait, STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        spy.kill()
        await asyncio.to_thread(spy.wait)
