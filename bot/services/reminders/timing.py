"""When reminders fire: pure functions of a deadline and the block's [reminders] settings.

Rules (issue 5): "7d" fires at `at` local time 7 days before the deadline's local date;
"2h"/"30m" are exact offsets. A time inside the quiet hours moves to their end, unless that
is after the deadline, then to their start. With skip_weekends a day offset falling on a
Saturday or Sunday moves to the Friday before. Times already past when planning are not
planned at all, so setting a block up late never floods anyone with stale reminders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_OFFSET = re.compile(r"^(\d+)([dhm])$")
_SATURDAY = 5


@dataclass(frozen=True)
class Offset:
    label: str
    amount: int
    unit: str  # "d", "h" or "m"

    @property
    def is_days(self) -> bool:
        return self.unit == "d"


def parse_offset(label: str) -> Offset:
    match = _OFFSET.match(label.strip())
    if match is None:
        raise ValueError(f"offset {label!r}: expected a number followed by d, h or m")
    return Offset(label.strip(), int(match.group(1)), match.group(2))


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # spans midnight (21:00-07:00)


def parse_quiet_hours(text: str) -> QuietHours | None:
    if not text.strip():
        return None
    first, _, second = text.replace(" ", "").partition("-")
    return QuietHours(time.fromisoformat(_pad(first)), time.fromisoformat(_pad(second)))


def _pad(hhmm: str) -> str:
    hours, _, minutes = hhmm.partition(":")
    return f"{int(hours):02d}:{minutes or '00'}"


@dataclass(frozen=True)
class ReminderSettings:
    at: time = time(8, 0)
    quiet: QuietHours | None = QuietHours(time(21, 0), time(7, 0))
    skip_weekends: bool = False

    @classmethod
    def from_block(cls, reminders: dict[str, object]) -> ReminderSettings:
        at = str(reminders.get("at") or "08:00")
        quiet = reminders.get("quiet_hours")
        return cls(
            at=time.fromisoformat(_pad(at)),
            quiet=parse_quiet_hours("21:00-07:00" if quiet is None else str(quiet)),
            skip_weekends=bool(reminders.get("skip_weekends", False)),
        )


@dataclass(frozen=True)
class PlannedTime:
    offset: str
    fire_at: datetime  # aware, UTC


def _quiet_window(local: datetime, quiet: QuietHours) -> tuple[datetime, datetime]:
    """The start and end of the quiet period that contains `local`."""
    tz = local.tzinfo
    day = local.date()
    if quiet.start > quiet.end and local.time() < quiet.end:
        day -= timedelta(days=1)  # after midnight: the period began the evening before
    start = datetime.combine(day, quiet.start, tz)
    end_day = day + timedelta(days=1) if quiet.start > quiet.end else day
    return start, datetime.combine(end_day, quiet.end, tz)


def _day_offset_time(deadline_local: datetime, offset: Offset, cfg: ReminderSettings) -> datetime:
    day: date = deadline_local.date() - timedelta(days=offset.amount)
    if cfg.skip_weekends and day.weekday() >= _SATURDAY:
        day -= timedelta(days=day.weekday() - 4)  # back to Friday
    return datetime.combine(day, cfg.at, deadline_local.tzinfo)


def fire_time(deadline: datetime, offset: Offset, cfg: ReminderSettings, tz: ZoneInfo) -> datetime:
    """The moment one offset fires, after weekend and quiet-hour moves (UTC)."""
    deadline_local = deadline.astimezone(tz)
    if offset.is_days:
        local = _day_offset_time(deadline_local, offset, cfg)
    else:
        delta = timedelta(hours=offset.amount) if offset.unit == "h" else timedelta(
            minutes=offset.amount
        )
        local = deadline_local - delta
    if cfg.quiet is not None and cfg.quiet.contains(local.timetz().replace(tzinfo=None)):
        start, end = _quiet_window(local, cfg.quiet)
        local = end if end < deadline_local else start
    return local.astimezone(UTC)


def plan(
    deadline: datetime,
    offsets: list[str] | tuple[str, ...],
    cfg: ReminderSettings,
    tz: ZoneInfo,
    now: datetime,
) -> list[PlannedTime]:
    """Reminder times still ahead of `now` and before the deadline, earliest first.

    Two offsets that land on the same moment (after the moves) fire once.
    """
    seen: dict[datetime, str] = {}
    for label in offsets:
        when = fire_time(deadline, parse_offset(label), cfg, tz)
        if now < when < deadline and when not in seen:
            seen[when] = label
    return [PlannedTime(label, when) for when, label in sorted(seen.items())]
