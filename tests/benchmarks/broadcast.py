"""Broadcast benchmark: `python -m tests.benchmarks.broadcast [--recipients N] [--quick]`.

One chair notice to N representatives (default 1,000; --quick: 200) through the real bot
(bot.factory.build_application, the outbox, PTB's AIORateLimiter) and the offline Bot API
emulator on this machine, in four runs:

- production limits (30 messages/s overall), no faults, and with 5 % of the sends answered
  by a 429 (retry_after = 1 s, Telegram's smallest); the time is compared with the ideal
  N / 30 s, the physical limit Telegram allows a bot (the limiter's bucket lets the first
  30 go at once, so a small broadcast can beat the ideal; every 429 halts all sending for
  retry_after + 0.1 s, as Telegram asks);
- the limiter raised to 10,000/s, to show the sender's own ceiling (the outbox, SQLite and
  the emulator share one core: the figure is a floor for a real deployment), with and
  without the 429s.

Every run also checks that each recipient got exactly one copy. Exits 1 on a lost or
duplicated message, or a gross regression (production run slower than 1.5 x ideal, or a
ceiling under the 30 messages/s Telegram allows); timings on shared machines wobble.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.blockfile import load_block_file
from bot.config import load_settings
from bot.factory import OVERALL_MAX_RATE, build_application
from bot.outbox.sender import outbox_of
from bot.runtime import runtime_of
from bot.sandbox import BotApiEmulator
from bot.services.access import resolve_caller
from bot.services.announce.notices import Content, Draft, send_announcement
from bot.services.clock import SystemClock
from bot.services.setup import apply_block_spec
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.migrate import upgrade_database

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"
FIRST_REP = 700_000
RAISED_RATE = 10_000
FAULT_EVERY = 20  # one 429 per 20 sends: 5 %
RETRY_AFTER = 1
SLOWEST_RATIO = 1.5
MIN_CEILING = 30.0
MARKER = "Benchmark: thông báo gửi toàn Khối"


@dataclass(frozen=True)
class Run:
    name: str
    rate: float
    faults: bool


@dataclass(frozen=True)
class Result:
    run: Run
    seconds: float
    copies: Counter[int]
    injected: int

    def per_second(self, n: int) -> float:
        return n / self.seconds


async def seed(db_url: str, n: int) -> None:
    db = Database(db_url)
    try:
        await upgrade_database(db)
        clock = SystemClock()
        await apply_block_spec(db, load_block_file(EXAMPLE), clock)
        async with db.transaction() as conn:
            block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
            assert block is not None
            tree = await blocks_repo.load_tree(conn, block)
            for i in range(n + 1):  # FIRST_REP is the chair
                unit = tree.units[0] if i == 0 else tree.units[1 + i % (len(tree.units) - 1)]
                await members_repo.add_member(
                    conn, block_id=block.id, unit_id=unit.id, tg_user_id=FIRST_REP + i,
                    full_name=f"Đại diện {i}", username=None, language_code="vi",
                    now=clock.now(),
                )
    finally:
        await db.close()


async def inject_429s(emu: BotApiEmulator, stop: asyncio.Event) -> int:
    """Keep one 429 armed per FAULT_EVERY sends, so 5 % of the sends are refused."""
    injected = 0
    while not stop.is_set():
        sends = sum(1 for call in emu.calls if call.method == "sendMessage")
        armed = injected > len(emu.faults.fired)
        if sends >= (injected + 1) * FAULT_EVERY and not armed:
            emu.inject_fault("sendMessage", "429", retry_after=RETRY_AFTER)
            injected += 1
        await asyncio.sleep(0.005)
    return injected


async def one_run(run: Run, n: int, folder: Path) -> Result:
    db_url = f"sqlite+aiosqlite:///{folder}/{run.name.replace(' ', '-')}.db"
    await seed(db_url, n)
    async with BotApiEmulator() as emu:
        for i in range(n + 1):
            emu.add_user(FIRST_REP + i, f"Đại diện {i}", started=True)
        settings = load_settings(BOT_TOKEN=emu.token, BOT_API_URL=emu.url,
                                 DATABASE_URL=db_url, BOT_ADMIN_IDS="")
        app = build_application(settings, overall_max_rate=run.rate)
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()  # no polling: nobody talks to the bot during the run
        try:
            runtime = runtime_of(app)
            caller = await resolve_caller(runtime.db, tg_user_id=FIRST_REP, admin_ids=frozenset(),
                                          default_language="vi")
            stop = asyncio.Event()
            faults = asyncio.create_task(inject_429s(emu, stop)) if run.faults else None
            start = time.perf_counter()
            sent = await send_announcement(
                runtime, caller, Draft(Content("text", MARKER), to_group=False)
            )
            assert sent is not None and sent.messages == n
            outbox = outbox_of(app)
            outbox.wake()
            await asyncio.wait_for(outbox.idle(), timeout=n * 2 + 60)
            seconds = time.perf_counter() - start
            stop.set()
            injected = await faults if faults else 0
        finally:
            await app.stop()
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
        copies = Counter(m.chat_id for m in emu.sent_messages() if MARKER in (m.text or ""))
    return Result(run, seconds, copies, injected)


def report(results: list[Result], n: int) -> int:
    ideal = n / OVERALL_MAX_RATE
    print(f"\nBroadcast of one notice to {n} representatives · Python "
          f"{platform.python_version()} · {os.cpu_count()} CPU(s)")
    print(f"ideal at Telegram's {OVERALL_MAX_RATE} messages/s: {ideal:.1f} s\n")
    print(f"{'run':<34}{'limiter':>10}{'429s':>7}{'time (s)':>10}{'msg/s':>8}"
          f"{'x ideal':>9}{'copies ok':>11}")
    failures = []
    for r in results:
        exact = set(r.copies) == {FIRST_REP + i for i in range(1, n + 1)} and max(
            r.copies.values()) == 1
        limiter = f"{r.run.rate:g}/s"
        print(f"{r.run.name:<34}{limiter:>10}{r.injected:>7}{r.seconds:>10.1f}"
              f"{r.per_second(n):>8.1f}{r.seconds / ideal:>9.2f}{'yes' if exact else 'NO':>11}")
        if not exact:
            failures.append(f"{r.run.name}: lost or duplicated messages")
        production = r.run.rate == OVERALL_MAX_RATE and not r.run.faults
        if production and r.seconds > SLOWEST_RATIO * ideal:
            failures.append(f"{r.run.name}: {r.seconds / ideal:.2f} x ideal")
        if r.run.rate == RAISED_RATE and not r.run.faults and r.per_second(n) < MIN_CEILING:
            failures.append(f"{r.run.name}: ceiling {r.per_second(n):.1f} msg/s")
    print(f"\nlimits: copies exact; production run <= {SLOWEST_RATIO:g} x ideal; "
          f"ceiling >= {MIN_CEILING:g} msg/s")
    for failure in failures:
        print(f"REGRESSION: {failure}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="200 recipients")
    args = parser.parse_args(argv)
    n = 200 if args.quick else args.recipients
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB 22 warns on every RetryAfter otherwise
    logging.basicConfig(level=logging.ERROR)
    runs = [
        Run("production limits", OVERALL_MAX_RATE, False),
        Run("production limits, 5 % 429s", OVERALL_MAX_RATE, True),
        Run("limiter raised: sender ceiling", RAISED_RATE, False),
        Run("limiter raised, 5 % 429s", RAISED_RATE, True),
    ]

    async def all_runs() -> list[Result]:
        with tempfile.TemporaryDirectory() as folder:
            results = []
            for run in runs:
                print(f"running: {run.name} …", file=sys.stderr, flush=True)
                results.append(await one_run(run, n, Path(folder)))
            return results

    return report(asyncio.run(all_runs()), n)


if __name__ == "__main__":
    raise SystemExit(main())
