"""Reader for the ``[[activities]]`` section: the block's joint activities (hoạt động chung).

An activity names its time, where it is held, until when units answer whether they come,
and optionally the criterion of the scoring table its attendance fills. What needs the
clock ("the start is in the past") is checked when setup writes it (bot.services.activities
.setup_sync), since an activity already held may stay in the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, get_args
from zoneinfo import ZoneInfo

from bot.blockfile.model import ActivityKind
from bot.blockfile.validators import Problems, Table, quoted, table_array, type_name

Fields = dict[str, Any]

ACTIVITY_KEYS = (
    "code", "title", "kind", "starts", "ends", "place", "answer_by", "criterion",
    "absence_penalty",
)  # fmt: skip
ACTIVITY_KINDS: tuple[str, ...] = get_args(ActivityKind)
# Attendance becomes "Có" (every activity of the phase attended) or a count of activities.
FILLABLE_KINDS = ("yesno", "number")
CODE_MAX = 32
TITLE_MAX = 200  # a card's first line on a phone; longer is a paragraph, not a title
PLACE_MAX = 200


def read_activities(
    data: Mapping[str, Any], problems: Problems, zone: ZoneInfo, year: int | None,
    criteria: Sequence[Fields], phases: Sequence[Fields],
) -> list[Fields]:
    """The activities' fields (ActivitySpec keywords); every problem recorded by key path."""
    found: list[Fields] = []
    seen: set[str] = set()
    for path, item in table_array(data, "activities", problems):
        t = Table(item, path, problems, ACTIVITY_KEYS)
        code = t.code("code", max_len=CODE_MAX)
        if code is not None:
            if code in seen:
                t.add("code", f'duplicate "{code}"')
            seen.add(code)
        title = _limited(t, "title", TITLE_MAX, required=True)
        kind = t.choice("kind", ACTIVITY_KINDS)
        starts = _moment(t, "starts", zone, required=True)
        ends = _moment(t, "ends", zone)
        answer_by = t.deadline("answer_by", zone, required=True)
        if starts is not None and year is not None and abs(starts.year - year) > 1:
            t.add("starts", f"{starts.date().isoformat()} is too far from block.year {year}")
        if starts is not None and ends is not None and ends <= starts:
            t.add("ends", "must be after starts")
        if starts is not None and answer_by is not None and answer_by > starts:
            t.add("answer_by", "must not be after starts (units answer before it begins)")
        criterion = _criterion(t, criteria, phases, starts, zone)
        penalty = _penalty(t, criteria)
        found.append({
            "code": code, "title": title, "kind": kind, "starts": starts, "ends": ends,
            "place": _limited(t, "place", PLACE_MAX), "answer_by": answer_by,
            "criterion": criterion, "absence_penalty": penalty,
        })  # fmt: skip
    return found


def _limited(t: Table, key: str, limit: int, *, required: bool = False) -> str | None:
    text = t.string(key, required=required)
    if text is not None and len(text) > limit:
        t.add(key, f"is too long ({len(text)} characters, at most {limit})")
        return None
    return text


def _moment(t: Table, key: str, zone: ZoneInfo, *, required: bool = False) -> datetime | None:
    """A local date-time; a bare date is refused (an activity needs its hour)."""
    value = t.get(key, required=required)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, date):
        t.add(key, f"give the time of day too, e.g. {value.isoformat()}T07:30:00")
        return None
    t.add(key, f"expected a date-time (YYYY-MM-DDTHH:MM:SS), got {type_name(value)}")
    return None


def phase_of(phases: Sequence[Fields], day: date) -> Fields | None:
    """The phase whose dates hold `day` (phases do not overlap)."""
    return next((p for p in phases if p.get("start") is not None and p.get("end") is not None
                 and p["start"] <= day <= p["end"]), None)


def _criterion(
    t: Table, criteria: Sequence[Fields], phases: Sequence[Fields], starts: datetime | None,
    zone: ZoneInfo,
) -> str | None:
    code = t.string("criterion")
    if code is None:
        return None
    known = next((c for c in criteria if c.get("code") == code), None)
    if known is None:
        t.add("criterion", f'no criterion with code "{code}"')
        return None
    kind = known.get("kind")
    if kind is not None and kind not in FILLABLE_KINDS:
        t.add("criterion", f'criterion "{code}" has kind "{kind}"; attendance can fill only '
                           f"{quoted(FILLABLE_KINDS)}")
        return None
    if starts is not None and phases and phase_of(phases, starts.astimezone(zone).date()) is None:
        t.add("starts", f"{starts.date().isoformat()} is in no phase, so attendance could not "
                        f'fill "{code}"')
    return code


def penalty_criterion(criteria: Sequence[Fields]) -> Fields | None:
    """Where an absence's penalty points go: the first penalty criterion of kind "score"."""
    return next((c for c in criteria if c.get("penalty") and c.get("kind") == "score"), None)


def _penalty(t: Table, criteria: Sequence[Fields]) -> Decimal | None:
    points = t.number("absence_penalty")
    if points is None:
        return None
    if points <= 0:
        t.add("absence_penalty", "must be > 0")
        return None
    target = penalty_criterion(criteria)
    if target is None:
        t.add("absence_penalty", 'needs a criterion with penalty = true and kind = "score" '
                                 "to take the points")
        return None
    limit = target.get("max_points")
    if isinstance(limit, Decimal) and points > limit:
        t.add("absence_penalty", f'is more than the {limit} points of "{target.get("code")}"')
        return None
    return points
