"""Load the per-feature TOML catalogs and render keys with HTML-escaped placeholders.

Each feature has its own file per language (`locales/vi/covenant.toml`), so features grow
their texts without touching each other's files; a key defined twice is an error.
"""

from __future__ import annotations

import html
import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALES_DIR = Path(__file__).with_name("locales")


class Html(str):
    """A value that is already safe HTML (a rendered fragment); it is not escaped again."""

    __slots__ = ()


def _escape(value: Any) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _load_language(folder: Path) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, value in data.items():
            if key in merged:
                raise ValueError(f"{path}: key {key!r} is defined in another file too")
            if not isinstance(value, str):
                raise ValueError(f"{path}: key {key!r} must be a string")
            merged[key] = value
    return merged


class Catalog:
    """All languages' texts; `text(lang, key, **params)` renders one."""

    def __init__(self, root: Path = LOCALES_DIR) -> None:
        self.texts = {lang: _load_language(root / lang) for lang in LANGUAGES}

    def text(self, lang: str, key: str, /, **params: Any) -> str:
        texts = self.texts.get(lang) or self.texts[DEFAULT_LANGUAGE]
        template = texts.get(key)
        if template is None:
            # A missing key is a bug, but the user should still get the other language.
            template = self.texts[DEFAULT_LANGUAGE][key]
        return template.format_map({k: _escape(v) for k, v in params.items()})

    def plain(self, lang: str, key: str, /, **params: Any) -> str:
        """The text with placeholders filled verbatim, for pictures and files (not HTML).

        Templates meant for plain use hold no markup; `&lt;` etc. are never produced.
        """
        texts = self.texts.get(lang) or self.texts[DEFAULT_LANGUAGE]
        template = texts.get(key) or self.texts[DEFAULT_LANGUAGE][key]
        return template.format_map({k: str(v) for k, v in params.items()})

    def html(self, lang: str, key: str, /, **params: Any) -> Html:
        return Html(self.text(lang, key, **params))

    def has(self, key: str) -> bool:
        return key in self.texts[DEFAULT_LANGUAGE]


@cache
def catalog() -> Catalog:
    return Catalog()
