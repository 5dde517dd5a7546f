"""Typed readers for one TOML table that record problems instead of stopping at the first.

Every reader returns ``None`` when the value is absent or unusable, so the caller can keep
going and the secretariat sees all mistakes of a block file in one run.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.blockfile.model import DATE_ONLY_DEADLINE_TIME, BlockFileProblem

CODE_RE = re.compile(r"[A-Z0-9_-]+")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_CLOCK_RE = re.compile(r"(\d{1,2}):(\d{2})")


class Problems:
    def __init__(self) -> None:
        self.items: list[BlockFileProblem] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(BlockFileProblem(path, message))

    def __bool__(self) -> bool:
        return bool(self.items)


def clean(text: str) -> str:
    # Telegram clients and Windows editors mix composed and decomposed Vietnamese; NFC makes
    # "Ủy ban" typed two ways compare (and sort, and match in search) as the same text.
    return unicodedata.normalize("NFC", text).strip()


def join(path: str, key: str) -> str:
    # Keys such as target codes come from the user; quote odd ones so the path stays readable.
    shown = key if _BARE_KEY_RE.fullmatch(key) else '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{shown}" if path else shown


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime):
        return "date-time"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def quoted(values: Collection[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def parse_clock(text: str) -> time | None:
    match = _CLOCK_RE.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def to_decimal(value: object) -> Decimal | None:
    """TOML numbers as Decimal; ``str()`` first so 0.1 stays 0.1, not its binary expansion."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Decimal(str(value))


class Table:
    """One TOML table, read key by key; keys outside ``known`` are reported as typos."""

    def __init__(
        self,
        data: Mapping[str, Any],
        path: str,
        problems: Problems,
        known: Collection[str],
    ) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        for key in data:
            if key not in known:
                message = "unknown key"
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.7)
                if close:
                    message += f' (did you mean "{close[0]}"?)'
                problems.add(self.at(key), message)

    def at(self, key: str) -> str:
        return join(self.path, key)

    def add(self, key: str, message: str) -> None:
        self.problems.add(self.at(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, *, required: bool = False) -> Any:
        # TOML has no null, so None can only mean the key is absent.
        value = self.data.get(key)
        if value is None and required:
            self.add(key, "required")
        return value

    def _wrong_type(self, key: str, expected: str, value: object) -> None:
        self.add(key, f"expected {expected}, got {type_name(value)}")

    def string(self, key: str, *, required: bool = False, keep_empty: bool = False) -> str | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong_type(key, "a string", value)
            return None
        text = clean(value)
        if not text and not keep_empty:
            if required:
                self.add(key, "must not be empty")
            return None
        return text

    def code(self, key: str, *, max_len: int) -> str | None:
        text = self.string(key, required=True)
        if text is None:
            return None
        if not CODE_RE.fullmatch(text):
            self.add(key, f'"{text}" may contain only A-Z, 0-9, "_" and "-"')
        elif len(text) > max_len:
            self.add(key, f'"{text}" is too long ({len(text)} characters, at most {max_len})')
        return text

    def choice(self, key: str, options: Collection[str], *, required: bool = False) -> str | None:
        text = self.string(key, required=required)
        if text is not None and text not in options:
            self.add(key, f'must be one of {quoted(options)}; got "{text}"')
            return None
        return text

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong_type(key, "an integer", value)
            return None
        return value

    def number(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        number = to_decimal(value)
        if number is None:
            self._wrong_type(key, "a finite number", value)
        return number

    def boolean(self, key: str) -> bool | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self._wrong_type(key, "true or false", value)
            return None
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        # datetime is a subclass of date; a time of day here would be silently meaningless.
        if isinstance(value, datetime) or not isinstance(value, date):
            self._wrong_type(key, "a date (YYYY-MM-DD)", value)
            return None
        return value

    def deadline(self, key: str, zone: ZoneInfo, *, required: bool = False) -> datetime | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=zone)
            return value.astimezone(zone)
        if isinstance(value, date):
            return datetime.combine(value, DATE_ONLY_DEADLINE_TIME, tzinfo=zone)
        self._wrong_type(key, "a date or date-time", value)
        return None

    def table(self, key: str) -> Mapping[str, Any] | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._wrong_type(key, "a table", value)
            return None
        return value

    def string_list(
        self,
        key: str,
        *,
        required: bool = False,
        unique: bool = False,
        check: Callable[[str], str | None] | None = None,
    ) -> tuple[str, ...] | None:
        """An array of non-empty strings; ``check`` returns a problem message or None."""
        value = self.get(key, required=required)
        if value is None:
            return None
        if not isinstance(value, list):
            self._wrong_type(key, "an array of strings", value)
            return None
        items: list[str] = []
        for index, item in enumerate(value):
            item_path = f"{self.at(key)}[{index}]"
            text = clean(item) if isinstance(item, str) else None
            if text is None:
                self.problems.add(item_path, f"expected a string, got {type_name(item)}")
            elif not text:
                self.problems.add(item_path, "must not be empty")
            elif unique and text in items:
                self.problems.add(item_path, f'duplicate "{text}"')
            elif check is not None and (message := check(text)) is not None:
                self.problems.add(item_path, message)
            else:
                items.append(text)
        return tuple(items)


def table_array(
    data: Mapping[str, Any], key: str, problems: Problems
) -> list[tuple[str, Mapping[str, Any]]]:
    """The tables of ``[[key]]`` with their paths; anything else in the array is reported."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(key, f"expected an array of tables ([[{key}]]), got {type_name(value)}")
        return []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for index, item in enumerate(value):
        path = f"{key}[{index}]"
        if isinstance(item, dict):
            tables.append((path, item))
        else:
            problems.add(path, f"expected a table, got {type_name(item)}")
    return tables


def section_table(
    data: Mapping[str, Any], key: str, problems: Problems
) -> Mapping[str, Any] | None:
    """The optional ``[key]`` table of the file; a non-table there is reported."""
    value = data.get(key)
    if value is not None and not isinstance(value, dict):
        problems.add(key, f"expected a table ([{key}]), got {type_name(value)}")
        return None
    return value
