"""`thidua-bot demo`: a whole block-year played offline against the real bot."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bot.cli.voice import error, say, warn

EXIT_FAILED = 1
EXIT_INVALID = 2
TOP = 3  # ranking lines printed; summary.txt has them all


def add_commands(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help=say("cli-demo-help"),
                          description=say("cli-demo-description"))
    demo.add_argument("--block", metavar=say("cli-metavar-file"),
                      help=say("cli-demo-block-help"))
    demo.add_argument("--out", metavar=say("cli-metavar-folder"), default="demo-output",
                      help=say("cli-demo-out-help"))
    demo.add_argument("--speed", type=float, default=1.0, metavar="N",
                      help=say("cli-demo-speed-help"))
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.blockfile import BlockFileError
    from bot.demo import run_demo
    from bot.demo.stage import DemoError

    if args.speed <= 0:
        error(say("cli-demo-speed-positive"))
        return EXIT_INVALID
    # Charts are drawn headless; PTB hands out timedeltas (see bot/) like in the tests.
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    block = Path(args.block) if args.block else None
    try:
        result = asyncio.run(run_demo(block, Path(args.out), args.speed))
    except BlockFileError as exc:
        print(say("cli-demo-problems", file=args.block, count=len(exc.problems)),
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except DemoError as exc:
        error(say("cli-demo-stopped", reason=str(exc)))
        return EXIT_FAILED
    facts = result.facts
    print()
    print(say("cli-demo-done", seconds=f"{result.seconds:.1f}", messages=result.messages,
              chats=len(facts.chats), rounds=facts.reminder_rounds,
              reminded=facts.units_reminded, charts=len(result.charts),
              workbooks=len(result.workbooks)))
    print(say("cli-demo-facts", signed=facts.signed, reports="; ".join(facts.reports)))
    print(say("cli-demo-ranking"))
    for line in facts.ranking[:TOP]:
        print(f"  {line}")
    for line in result.problems:
        warn(line)
    for failure in result.failed_updates:
        warn(say("cli-demo-bot-error", error=failure))
    print(say("cli-demo-transcript", path=str(result.transcript.resolve())))
    print(say("cli-demo-summary", path=str(result.summary.resolve())))
    return 0 if not result.failed_updates else EXIT_FAILED
