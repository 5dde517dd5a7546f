"""How a value a representative types becomes the stored value of a criterion.

Stored values are canonical text: a plain decimal ("1833468000", "87.5") for score, number
and percent, "yes"/"no" for yesno, the narrative itself for text. Bad input is described by
a `BadValue` the handler turns into a sentence; nothing is stored for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.formatting import MAX_ABS_NUMBER, NumberInputError, parse_number, utf16_len
from bot.services.scoring import NO, YES
from storage.records import Criterion

# Issue 4: a narrative answer is at most 3000 characters (a Telegram message holds 4096),
# counted as Telegram counts, in UTF-16 units (issue 26: 2,100 emoji are 4,200 units, and
# the criterion's own screen could no longer show them).
MAX_TEXT_UNITS = 3000
# Points and percentages are given to the hundredth, as in the paper scoring tables.
MAX_DECIMALS = 2
MAX_DIGITS = len(str(int(MAX_ABS_NUMBER))) - 1

_YES_WORDS = frozenset({"có", "co", "c", "đạt", "dat", "x", "yes", "y", "1", "true", "ok"})
_NO_WORDS = frozenset({"không", "khong", "k", "ko", "chưa", "chua", "no", "n", "0", "false"})


class Problem(StrEnum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not-a-number"
    NEGATIVE = "negative"
    TOO_LARGE = "too-large"
    OVER_MAX = "over-max"  # score above the criterion's max_points
    OVER_100 = "over-100"  # percent above 100
    TOO_PRECISE = "too-precise"
    NOT_YESNO = "not-yesno"
    TOO_LONG = "too-long"


@dataclass(frozen=True)
class BadValue:
    problem: Problem
    suggestion: str | None = None  # Babel's reading of an ambiguous figure ("1,5"?)
    limit: Decimal | int | None = None


@dataclass(frozen=True)
class GoodValue:
    stored: str


def canonical_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _parse_figure(text: str, lang: str) -> Decimal | BadValue:
    try:
        return parse_number(text, lang)
    except NumberInputError as exc:
        digits = re.sub(r"\D", "", text.split(",")[0] if lang == "vi" else text.split(".")[0])
        if len(digits) > MAX_DIGITS and re.fullmatch(r"[\d\s.,]+", text.strip().rstrip("%")):
            return BadValue(Problem.TOO_LARGE, limit=MAX_ABS_NUMBER)
        if text.strip().startswith("-"):
            return BadValue(Problem.NEGATIVE)
        return BadValue(Problem.NOT_A_NUMBER, suggestion=exc.suggestion)


def parse_yesno(text: str) -> bool | None:
    word = unicodedata.normalize("NFC", text.strip().casefold()).rstrip(".!")
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    return None


def parse_value(criterion: Criterion, text: str, lang: str = "vi") -> GoodValue | BadValue:
    """Validate `text` for `criterion`; the result is either the value to store or why not."""
    raw = text.strip()
    if not raw:
        return BadValue(Problem.EMPTY)
    if criterion.kind == "text":
        if utf16_len(raw) > MAX_TEXT_UNITS:
            return BadValue(Problem.TOO_LONG, limit=MAX_TEXT_UNITS)
        return GoodValue(raw)
    if criterion.kind == "yesno":
        answer = parse_yesno(raw)
        if answer is None:
            return BadValue(Problem.NOT_YESNO)
        return GoodValue(YES if answer else NO)
    figure = _parse_figure(raw, lang)
    if isinstance(figure, BadValue):
        return figure
    return check_figure(criterion, figure)


def check_figure(criterion: Criterion, figure: Decimal) -> GoodValue | BadValue:
    """Range checks of a number for a score, number or percent criterion."""
    if figure < 0:
        return BadValue(Problem.NEGATIVE)
    if abs(figure) >= MAX_ABS_NUMBER:
        return BadValue(Problem.TOO_LARGE, limit=MAX_ABS_NUMBER)
    if criterion.kind == "score" and figure > criterion.max_points:
        return BadValue(Problem.OVER_MAX, limit=criterion.max_points)
    if criterion.kind == "percent" and figure > 100:
        return BadValue(Problem.OVER_100, limit=100)
    if criterion.kind in ("score", "percent") and decimal_places(figure) > MAX_DECIMALS:
        return BadValue(Problem.TOO_PRECISE, limit=MAX_DECIMALS)
    return GoodValue(canonical_decimal(figure))


# `CODE: value` lines (issue 4): a criterion code, a colon, the value. Codes are written
# in capitals in the block file; people typing them may not, so case is ignored.
LINE_PATTERN = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]{1,31})\s*:\s*(.*?)\s*$")


def looks_like_code_lines(text: str) -> bool:
    """True when a message reads as `CODE: value` lines: its first non-empty line has the
    shape with a capitalised code (so an ordinary sentence with a colon is not taken)."""
    for line in text.splitlines():
        if line.strip():
            match = LINE_PATTERN.match(line)
            return match is not None and match.group(1).isupper()
    return False


def split_code_lines(text: str) -> list[tuple[int, str, str | None, str]]:
    """(line number, line, CODE or None when the line is not `CODE: value`, value)."""
    found: list[tuple[int, str, str | None, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE_PATTERN.match(line)
        if match is None:
            found.append((number, line.strip(), None, ""))
        else:
            found.append((number, line.strip(), match.group(1).upper(), match.group(2)))
    return found
