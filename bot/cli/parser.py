"""An ArgumentParser that writes its help and its errors in the command line's language.

Only argparse's public API: the help option is our own (`add_help=False`), arguments go
into argument groups with translated titles, the "usage:" prefix of the formatted text is
replaced, and `error()` words the few messages people meet (a missing or unknown argument,
a wrong value); any other argparse message is shown as argparse wrote it.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from bot.cli.voice import say

_USAGE = "usage: "
# argparse's own messages (Python 3.11-3.13) and the catalog key that words each one.
_MESSAGES = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "cli-arg-required"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "cli-arg-unknown"),
    (re.compile(r"argument (?P<argument>[^:]+): invalid choice: (?P<value>.+?) "
                r"\(choose from (?P<choices>.+)\)"), "cli-arg-choice"),
    (re.compile(r"argument (?P<argument>[^:]+): expected one argument"), "cli-arg-one-value"),
    (re.compile(r"argument (?P<argument>[^:]+): invalid \w+ value: (?P<value>.+)"),
     "cli-arg-bad-value"),
    (re.compile(r"argument (?P<argument>[^:]+): not allowed with argument (?P<other>.+)"),
     "cli-arg-exclusive"),
)


def translated(message: str) -> str:
    for pattern, key in _MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return say(key, **found.groupdict())
    return message


class LocalParser(argparse.ArgumentParser):
    """Subparsers are made of the same class (argparse's default `parser_class`), so a
    feature's `sub.add_parser(...)` is localised too without knowing it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.local_arguments = self.add_argument_group(say("cli-help-arguments"))
        self.local_options = self.add_argument_group(say("cli-help-options"))
        self.local_options.add_argument("-h", "--help", action="help", help=say("cli-help-help"))

    def add_argument(self, *names: Any, **kwargs: Any) -> argparse.Action:
        # argparse's own test for a positional argument: one name, without a leading "-".
        positional = not names or (len(names) == 1 and str(names[0])[:1] not in
                                   self.prefix_chars)
        group = self.local_arguments if positional else self.local_options
        return group.add_argument(*names, **kwargs)

    def add_mutually_exclusive_group(self, **kwargs: Any) -> Any:
        return self.local_options.add_mutually_exclusive_group(**kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("title", say("cli-help-commands"))
        kwargs.setdefault("metavar", say("cli-metavar-command"))
        return super().add_subparsers(**kwargs)

    def format_usage(self) -> str:
        return _prefix(super().format_usage())

    def format_help(self) -> str:
        return _prefix(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {say('cli-error')}: {translated(message)}\n")


def _prefix(text: str) -> str:
    """The usage block with the translated prefix, its wrapped lines moved along with it."""
    if not text.startswith(_USAGE):
        return text
    usage, blank, rest = text.partition("\n\n")
    prefix = say("cli-usage") + " "
    shift = " " * max(0, len(prefix) - len(_USAGE))
    first, *wrapped = usage[len(_USAGE):].split("\n")
    lines = [prefix + first, *(shift + line if line else line for line in wrapped)]
    return "\n".join(lines) + blank + rest
