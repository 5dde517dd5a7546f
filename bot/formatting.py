"""Numbers, money and dates the way Vietnamese officials write them (through Babel), and
the length of a text as Telegram counts it (UTF-16 code units), with the clipping of what
a person typed when a reply repeats it."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

# Anything larger is a typing slip, not a figure a unit reports (issue 4: "over 10^15").
MAX_ABS_NUMBER = Decimal(10) ** 15
# No reported figure needs more; it also keeps "1e-999999" from becoming a million digits.
MAX_DECIMAL_PLACES = 6

_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def locale_of(lang: str) -> str:
    return _LOCALES.get(lang, "vi_VN")


def format_number(value: Decimal | int | float, lang: str = "vi") -> str:
    """1833468000 -> '1.833.468.000' (vi) or '1,833,468,000' (en); decimals kept up to 2."""
    return _decimal_text(value, locale_of(lang))


# Points print like any other figure (same separators, up to 2 decimals).
format_points = format_number


# A report form formats some thirty figures, mostly the same few (max points, targets),
# and Babel takes tens of microseconds each (tests/benchmarks/load.py profile). Equal
# values format alike (Decimal("40.0") == 40), so a small cache is exact.
@functools.lru_cache(maxsize=4096)
def _decimal_text(value: Decimal | int | float, locale: str) -> str:
    return format_decimal(value, format="#,##0.##", locale=locale)


def format_date(value: date, lang: str = "vi") -> str:
    # Officials write 20/06/2023 in both languages; the English catalog keeps that form too.
    return value.strftime("%d/%m/%Y")


DATETIME = "%H:%M %d/%m/%Y"
# "14:25 20/03": for tight places such as a button label, where the year adds nothing.
DATETIME_SHORT = "%H:%M %d/%m"


def format_datetime(
    value: datetime, tz: ZoneInfo, lang: str = "vi", *, pattern: str = DATETIME
) -> str:
    """The time in the block's timezone, as officials write it (`pattern`: strftime)."""
    local = value.astimezone(tz)
    return local.strftime(pattern)


def format_deadline(value: datetime, tz: ZoneInfo, lang: str = "vi") -> str:
    """A deadline as a notice states it: "17 giờ 00, ngày 20/6/2023" (day and month
    without a leading zero, as in administrative documents); "17:00, 20/6/2023" in English.
    Tables and buttons keep the short DATETIME forms."""
    local = value.astimezone(tz)
    day = f"{local.day}/{local.month}/{local.year}"
    if lang == "vi":
        return f"{local.hour} giờ {local.minute:02d}, ngày {day}"
    return f"{local.hour}:{local.minute:02d}, {day}"


class NumberInputError(ValueError):
    """A figure the user typed cannot be read; `suggestion` may hold Babel's hint."""

    def __init__(self, text: str, suggestion: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.suggestion = suggestion


def parse_number(text: str, lang: str = "vi") -> Decimal:
    """Read a figure as a Vietnamese official types it: 200.000.000, 200000000, 1,5.

    Babel's strict mode refuses ambiguous input such as '1.5' in Vietnamese and suggests
    what was probably meant, which we pass on to the user.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    for suffix in ("đồng", "đ", "%", "VND", "vnđ"):
        if cleaned.lower().endswith(suffix.lower()):
            cleaned = cleaned[: -len(suffix)]
    if not cleaned or "e" in cleaned.lower():  # no scientific notation from officials
        raise NumberInputError(text)
    try:
        value = parse_decimal(cleaned, locale=locale_of(lang), strict=True)
    except NumberFormatError as exc:
        suggestion = exc.suggestions[0] if exc.suggestions else None
        raise NumberInputError(text, suggestion) from None
    except (InvalidOperation, ValueError):
        raise NumberInputError(text) from None
    if not value.is_finite() or abs(value) >= MAX_ABS_NUMBER:
        raise NumberInputError(text)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        raise NumberInputError(text)
    return value


# --- lengths as Telegram counts them --------------------------------------------------

# Bot API limits ("1-4096 characters", "0-1024 characters", "0-64 characters"...) count
# UTF-16 code units: a letter of the Basic Multilingual Plane (Vietnamese included) is one,
# an emoji such as 🎉 is two. len() counts code points, which lets 2,100 emoji pass as
# 2,100 when Telegram sees 4,200.
def utf16_len(text: str) -> int:
    """What Telegram counts for `text` (plain text, not HTML)."""
    return len(text.encode("utf-16-le")) // 2


def prefix_within(text: str, limit: int) -> int:
    """How many characters from the start of `text` make at most `limit` UTF-16 units."""
    if utf16_len(text) <= limit:
        return len(text)
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


ELLIPSIS = "…"
# A clip looks back this share of the room for a space, so a word is not cut in two.
_WORD_SHARE = 5


def clip(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` in at most `limit` UTF-16 units: as it is when it fits, else cut (at a space
    near the end when there is one) with `ellipsis` added, the ellipsis counted in."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(ellipsis)
    if room <= 0:
        return ellipsis[:limit]
    end = prefix_within(text, room)
    space = text.rfind(" ", 0, end + 1)
    if space > end - end // _WORD_SHARE and space > 0:
        end = space
    return text[:end].rstrip() + ellipsis


# What a reply repeats of a person's input («DOT1», a line they typed): a code or a figure
# is far shorter; anything longer is a slip or a test of the bot, and repeating it whole
# could push the reply past Telegram's 4,096 (issue 26: `/report ` + 4,000 characters).
ECHO_LIMIT = 64


def echo(typed: str, limit: int = ECHO_LIMIT) -> str:
    """A person's input as a reply quotes it: on one line (runs of spaces and line breaks
    become one space) and clipped to `limit` UTF-16 units with an ellipsis. Plain text:
    the catalog escapes it like any other parameter."""
    return clip(" ".join(typed.split()), limit)
