"""Load benchmark of the whole bot against a bare python-telegram-bot baseline (issue 8):
`python -m tests.benchmarks.load [--quick] [--updates N] [--out FILE.json]`.

In one run: seed a province (30 blocks × 13 units × 3 representatives, signed covenants,
half-filled phase-1 reports, a notice asking every unit for "received"), then play the same
closed-loop stream of updates (--lanes users at once, each waiting for its answer) against
1. the baseline: a bare PTB Application whose one MessageHandler answers every message with
   a fixed text, and
2. the bot (bot.factory.build_application) with the realistic mix of load_mix.MIX,
each in its own process polling an offline Bot API emulator of its own, with the same
transport, rate limiter and concurrency settings, in alternating segments so that a busy
minute of a shared machine weighs on both. Prints updates/s, p50/p95/p99 latency, peak
RSS, CPU seconds per 1,000 updates and start-up time for both rows and the ratios, the
latency per kind of update, the Bot API calls per update, and PASS/FAIL for every budget
line (load_report.py). Exits 1 only on a gross regression (a ratio worse than twice its
budget, or any failed update).

The limiter is raised for both rows (--rate, default 10,000/s): at Telegram's 30 messages/s
both rows would only measure the limiter (tests/benchmarks/broadcast.py measures that).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.load_driver import stream_kinds
from tests.benchmarks.load_mix import CHART_KIND, MIX, chart_count
from tests.benchmarks.load_report import (
    RowFigures,
    checks,
    checks_text,
    kinds_table,
    table,
    write_json,
)
from tests.benchmarks.load_run import Config, Row, RowResult
from tests.benchmarks.load_seed import seed

DEFAULT_UPDATES = 20_000
QUICK_UPDATES = 2_000
DEFAULT_BLOCKS = 30
RAISED_RATE = 10_000.0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.load",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=None,
                        help=f"updates per row (default {DEFAULT_UPDATES:,})")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_UPDATES:,} updates per row (CI)")
    parser.add_argument("--blocks", type=int, default=DEFAULT_BLOCKS,
                        help=f"blocks of 13 units × 3 representatives (default {DEFAULT_BLOCKS})")
    parser.add_argument("--lanes", type=int, default=16,
                        help="users acting at once, each waiting for its answer (default 16)")
    parser.add_argument("--concurrency", type=int, default=1,
                        help="PTB concurrent_updates for both rows (default 1: sequential, "
                             "the bot's setting)")
    parser.add_argument("--rate", type=float, default=RAISED_RATE,
                        help="AIORateLimiter overall rate for both rows (default 10,000/s)")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="time bound per row (default 600; --quick 120)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="an update unanswered this long counts as failed (default 30 s)")
    parser.add_argument("--charts", type=int, default=None,
                        help="charts drawn during the stream (default: one per 1,000 "
                             "updates, at least 10)")
    parser.add_argument("--settle", type=float, default=3.5,
                        help="seconds of quiet awaited before stopping a row, so that "
                             "trailing work is counted (default 3.5: the group counter "
                             "is edited every 3 s)")
    parser.add_argument("--cpu", type=int, default=None,
                        help="pin both rows to this CPU and the emulator to the others "
                             "(Linux; default: no pinning, as the bot is deployed)")
    parser.add_argument("--segments", type=int, default=4,
                        help="the stream is played in this many alternating segments, "
                             "baseline then bot (default 4)")
    parser.add_argument("--seed", type=int, default=8, help="random seed of the stream")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--keep", type=Path, help="keep the database and the logs here")
    parser.add_argument("--profile", action="store_true",
                        help="sample both rows with py-spy during the window (needs --keep "
                             "and `pip install py-spy`); collapsed stacks in <keep>/*.pyspy.txt")
    return parser.parse_args(argv)


async def benchmark(args: argparse.Namespace, workdir: Path) -> tuple[RowResult, RowResult]:
    updates = args.updates or (QUICK_UPDATES if args.quick else DEFAULT_UPDATES)
    cfg = Config(updates=updates, lanes=args.lanes, rate=args.rate,
                 concurrency=args.concurrency, timeout=args.timeout, workdir=workdir,
                 max_seconds=args.max_seconds or (120.0 if args.quick else 600.0),
                 seed=args.seed, profile=args.profile, settle=args.settle, cpu=args.cpu)
    if args.cpu is not None:
        others = set(os.sched_getaffinity(0)) - {args.cpu}
        os.sched_setaffinity(0, others or {args.cpu})
    charts = chart_count(updates) if args.charts is None else args.charts
    kinds = stream_kinds(MIX, updates, args.seed, (CHART_KIND, charts) if charts else None)
    db_url = f"sqlite+aiosqlite:///{workdir}/bot.db"
    say(f"seeding {args.blocks} blocks …")
    started = time.perf_counter()
    province = await seed(db_url, args.blocks)
    say(f"seeded {len(province.reps)} representatives in {time.perf_counter() - started:.1f} s; "
        f"starting both rows …")
    segments = max(1, min(args.segments, updates))
    size = math.ceil(updates / segments)
    async with (Row("baseline", "baseline", province, cfg) as base,
                Row("bot", "bot", province, cfg, db_url) as bot):
        for index in range(segments):
            part = kinds[index * size:(index + 1) * size]
            for row in (base, bot):
                say(f"segment {index + 1}/{segments}: {row.result.name}, {len(part):,} updates")
                await row.play(part, index)
    return base.result, bot.result


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.ERROR)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        base, bot = asyncio.run(benchmark(args, args.keep))
    else:
        with tempfile.TemporaryDirectory(prefix="thidua-load-") as folder:
            base, bot = asyncio.run(benchmark(args, Path(folder)))
    return report(args, base, bot)


def report(args: argparse.Namespace, base: RowResult, bot: RowResult) -> int:
    fb, fbot = RowFigures.of(base), RowFigures.of(bot)
    print(f"\nLoad benchmark · {len(base.samples):,} updates per row · {args.blocks} blocks · "
          f"{args.lanes} users at once · concurrent_updates={args.concurrency} · "
          f"Python {platform.python_version()} · {os.cpu_count()} CPU(s)\n")
    print(table(fb, fbot))
    text, kinds = kinds_table(bot)
    print(f"\nbot, per kind of update\n{text}")
    for row in (base, bot):
        n = max(len(row.samples), 1)
        detail = ", ".join(f"{m} {c / n:.2f}" for m, c in sorted(
            row.calls.items(), key=lambda item: -item[1]))
        print(f"Bot API calls per update, {row.name}: {sum(row.calls.values()) / n:.2f} "
              f"({detail})")
    print(f"peak RSS of the bot: {bot.serving_peak_mb or 0:.1f} MB while serving, "
          f"{bot.peak_rss_mb or 0:.1f} MB over its whole life (stop included)")
    print(f"\nemulator + driver process: {fb.emulator_load:.0%} of a core (baseline), "
          f"{fbot.emulator_load:.0%} (bot)")
    for row in (base, bot):
        if not row.complete:
            print(f"{row.name}: stopped at the time bound after {len(row.samples):,} updates")
        for sample in row.error_samples:
            print(f"{row.name}: {sample}")
        if row.failed_calls:
            print(f"{row.name}: {row.failed_calls} refused Bot API call(s), e.g. "
                  f"{row.failed_call_samples[0]}")
    found = checks(fb, fbot, bot, CHART_KIND)
    print(f"\nbudget\n{checks_text(found)}")
    if args.out:
        config = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        calls = {row.name: {m: c / max(len(row.samples), 1) for m, c in row.calls.items()}
                 for row in (base, bot)}
        write_json(args.out, config, fb, fbot, kinds, found,
                   {"complete": base.complete and bot.complete,
                    "calls_per_update": calls, "serving_peak_rss_mb": bot.serving_peak_mb})
    gross = [c.name for c in found if c.gross]
    if gross:
        print(f"\nGROSS REGRESSION: {', '.join(gross)}")
    return 1 if gross else 0


if __name__ == "__main__":
    sys.exit(main())
