"""Reading a time a chair types: "25/08/2023 07:30", "7h30 25/8/2023", an optional end
("25/08/2023 07:30-11:30"), and for a deadline a bare date (17:00 that day)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.blockfile.model import DATE_ONLY_DEADLINE_TIME

_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*(?:[:hg]|giờ)\s*(\d{2})?")


@dataclass(frozen=True)
class Moment:
    start: datetime
    end: datetime | None = None


def _clock(text: str) -> list[time] | None:
    found: list[time] = []
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 23 or minute > 59:
            return None
        found.append(time(hour, minute))
    return found


def parse_moment(text: str, tz: ZoneInfo, *, date_only: time | None = None) -> Moment | None:
    """The date and time(s) in `text`, local to `tz`; None when it cannot be read. Without a
    time, `date_only` is used if given (a deadline: 17:00), else it is not a moment."""
    cleaned = " ".join(text.lower().split())
    day_match = _DATE.search(cleaned)
    if day_match is None:
        return None
    try:
        day = date(int(day_match.group(3)), int(day_match.group(2)), int(day_match.group(1)))
    except ValueError:
        return None
    rest = cleaned[:day_match.start()] + " " + cleaned[day_match.end():]
    times = _clock(rest)
    if times is None or len(times) > 2:
        return None
    if not times:
        if date_only is None:
            return None
        return Moment(datetime.combine(day, date_only, tz))
    start = datetime.combine(day, times[0], tz)
    end = datetime.combine(day, times[1], tz) if len(times) == 2 else None
    return Moment(start, end)


def parse_deadline(text: str, tz: ZoneInfo) -> datetime | None:
    moment = parse_moment(text, tz, date_only=DATE_ONLY_DEADLINE_TIME)
    return moment.start if moment else None
