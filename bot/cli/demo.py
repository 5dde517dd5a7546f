"""`thidua-bot demo`: a whole block-year played offline against the real bot."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

EXIT_FAILED = 1
EXIT_INVALID = 2
TOP = 3  # ranking lines printed; summary.txt has them all


def add_commands(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo",
        help="play a whole block-year offline (no token, no internet) and write a transcript",
        description="Start an offline imitation of Telegram and the real bot, play a scripted "
        "year of the block (registration, covenant, notices, reports, appraisal, rankings) "
        "on a simulated clock, and write transcript.html, the charts, the xlsx exports and "
        "summary.txt.",
    )
    demo.add_argument("--block", metavar="FILE",
                      help="block file (default: the example deploy/examples/khoi-thi-dua-6.toml)")
    demo.add_argument("--out", metavar="DIR", default="demo-output",
                      help="output folder (default: demo-output/)")
    demo.add_argument("--speed", type=float, default=1.0, metavar="N",
                      help="pace of the story: pauses between scenes are divided by N "
                      "(default 1, about 20 s in all; CI uses 100)")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.blockfile import BlockFileError
    from bot.demo import run_demo
    from bot.demo.stage import DemoError

    if args.speed <= 0:
        print("error: --speed must be greater than 0", file=sys.stderr)
        return EXIT_INVALID
    # Charts are drawn headless; PTB hands out timedeltas (see bot/) like in the tests.
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    block = Path(args.block) if args.block else None
    try:
        result = asyncio.run(run_demo(block, Path(args.out), args.speed))
    except BlockFileError as exc:
        print(f"{args.block}: {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except DemoError as exc:
        print(f"error: the demo stopped: {exc}", file=sys.stderr)
        return EXIT_FAILED
    facts = result.facts
    print(f"\nDone in {result.seconds:.1f} s: {result.messages} messages in "
          f"{len(facts.chats)} chats, {facts.reminder_rounds} scheduled rounds "
          f"({facts.units_reminded} reminders to units), {len(result.charts)} chart(s), "
          f"{len(result.workbooks)} workbook(s).")
    print(f"Covenant: {facts.signed}. Reports: {'; '.join(facts.reports)}.")
    print("Final ranking:")
    for line in facts.ranking[:TOP]:
        print(f"  {line}")
    for line in result.problems + [f"bot error: {e}" for e in result.failed_updates]:
        print(f"  warning: {line}")
    print(f"Open the transcript in a browser: {result.transcript.resolve()}")
    print(f"Summary: {result.summary.resolve()}")
    return 0 if not result.failed_updates else EXIT_FAILED
