"""The `thidua-bot` command line, in the helper's language (see `bot.cli.voice`).

The parser is built after the language is chosen, so argparse's help is translated too:
every help text is read from the catalog when a command's module adds its subcommands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from bot.cli import awards as awards_cli
from bot.cli import core
from bot.cli import covenant as covenant_cli
from bot.cli import demo as demo_cli
from bot.cli import export as export_cli
from bot.cli import members as members_cli
from bot.cli.parser import LocalParser
from bot.cli.voice import configured_language, error, say, split_lang, use
from bot.config import SettingsError
from bot.texts import LANGUAGES

EXIT_USAGE = 2

# Each module adds its subcommands; a feature's CLI lives beside its feature.
SUBCOMMAND_MODULES: list[Callable[[argparse._SubParsersAction], None]] = [
    core.add_commands,
    covenant_cli.add_commands,
    demo_cli.add_commands,
    members_cli.add_commands,
    export_cli.add_commands,
    awards_cli.add_commands,
]


def _version() -> str:
    try:
        return version("thidua-bot")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser, _ = parser_and_commands()
    return parser


def parser_and_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = LocalParser(prog="thidua-bot", description=say("cli-description"),
                         epilog=say("cli-epilog"))
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}",
                        help=say("cli-version-help"))
    # Read (and taken out of the arguments) by split_lang before parsing: listed here for
    # the help page.
    parser.add_argument("--lang", choices=LANGUAGES, help=say("cli-lang-help"))
    sub = parser.add_subparsers(dest="command")
    for add in SUBCOMMAND_MODULES:
        add(sub)
    return parser, dict(sub.choices)


def main(argv: Sequence[str] | None = None) -> int:
    lang, rest = split_lang(sys.argv[1:] if argv is None else argv)
    if lang is not None and lang not in LANGUAGES:
        use(configured_language(), chosen=False)
        error(say("cli-lang-unknown", value=lang, choices=", ".join(LANGUAGES)))
        return EXIT_USAGE
    use(lang or configured_language(), chosen=lang is not None)
    parser, commands = parser_and_commands()
    args = parser.parse_args(rest)
    handler = getattr(args, "handler", None)
    if handler is None:
        # `thidua-bot covenant` without its action: show that command's own help.
        commands.get(args.command, parser).print_help()
        return EXIT_USAGE
    try:
        return int(handler(args) or 0)
    except SettingsError as exc:
        error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
