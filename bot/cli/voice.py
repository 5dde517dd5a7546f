"""The language the command line speaks, and its way of printing.

`--lang vi|en` wins; otherwise the block's own language once a command knows its block
(`follow_block`), before that BOT_LANGUAGE, else Vietnamese. Every sentence comes from the
catalog (`bot/texts/locales/*/cli.toml`, or a feature's own file), rendered as plain text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.texts import LANGUAGES, catalog

DEFAULT_LANGUAGE = "vi"


@dataclass
class Voice:
    lang: str = DEFAULT_LANGUAGE
    chosen: bool = False  # --lang was given: a block's language does not override it


_voice = Voice()


def use(lang: str, *, chosen: bool) -> None:
    """Speak `lang` from now on (main calls it once per run, before building the parser)."""
    _voice.lang, _voice.chosen = lang, chosen


def language() -> str:
    return _voice.lang


def follow_block(block_language: str) -> None:
    """The command now works on a block: speak its language unless --lang said otherwise."""
    if not _voice.chosen and block_language in LANGUAGES:
        _voice.lang = block_language


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak `lang` for a while (the demo prints what the commands would print for its
    block), then as before."""
    before = (_voice.lang, _voice.chosen)
    _voice.lang = lang if lang in LANGUAGES else _voice.lang
    try:
        yield
    finally:
        _voice.lang, _voice.chosen = before


def say(key: str, /, **params: Any) -> str:
    return catalog().plain(_voice.lang, key, **params)


def error(text: str) -> None:
    """One line on standard error, "lỗi: …" / "error: …"."""
    print(f"{say('cli-error')}: {text}", file=sys.stderr)


def warn(text: str) -> None:
    print(f"{say('cli-warning')}: {text}", file=sys.stderr)


def split_lang(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """`--lang X` (or `--lang=X`) anywhere before `--`, and the arguments without it.

    Read before the parser exists, since the parser's own help is written in the language
    chosen; taken out so that it may follow a subcommand too (`setup FILE --lang en`)."""
    lang: str | None = None
    rest: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        item = items[i]
        if item == "--":
            rest += items[i:]
            break
        if item == "--lang" and i + 1 < len(items):
            lang, i = items[i + 1], i + 2
            continue
        if item.startswith("--lang="):
            lang, i = item.partition("=")[2], i + 1
            continue
        rest.append(item)
        i += 1
    return lang, rest


def configured_language() -> str:
    """BOT_LANGUAGE from the environment or `.env`; Vietnamese if unset or unreadable (a
    bad setting is reported by the command that needs it, in this language)."""
    from bot.config import SettingsError, load_settings

    try:
        return load_settings().bot_language
    except SettingsError:
        value = os.environ.get("BOT_LANGUAGE", "")
        return value if value in LANGUAGES else DEFAULT_LANGUAGE
