"""The `thidua-bot` command line (help texts in English: they are for the technical helper)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from bot.cli import core
from bot.cli import covenant as covenant_cli
from bot.cli import demo as demo_cli
from bot.cli import export as export_cli
from bot.cli import members as members_cli
from bot.config import SettingsError

EXIT_USAGE = 2

# Each module adds its subcommands; a feature's CLI lives beside its feature.
SUBCOMMAND_MODULES: list[Callable[[argparse._SubParsersAction], None]] = [
    core.add_commands,
    covenant_cli.add_commands,
    demo_cli.add_commands,
    members_cli.add_commands,
    export_cli.add_commands,
]


def _version() -> str:
    try:
        return version("thidua-bot")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser, _ = _parser_and_commands()
    return parser


def _parser_and_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="thidua-bot",
        description="Telegram bot for a Vietnamese emulation block (khối thi đua).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in SUBCOMMAND_MODULES:
        add(sub)
    return parser, dict(sub.choices)


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = _parser_and_commands()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        # `thidua-bot covenant` without its action: show that command's own help.
        commands.get(args.command, parser).print_help()
        return EXIT_USAGE
    try:
        return int(handler(args) or 0)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
