"""`python -m bot.demo [--block FILE] [--out DIR] [--speed N]`, the same as `thidua-bot demo`."""

from __future__ import annotations

import argparse
import sys

from bot.cli.demo import add_commands


def main(argv: list[str] | None = None) -> int:
    sub = argparse.ArgumentParser().add_subparsers()
    add_commands(sub)
    parser: argparse.ArgumentParser = sub.choices["demo"]
    parser.prog = "python -m bot.demo"
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
