"""Reader for the ``[reminders]`` section: when the bot nudges units before deadlines."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.blockfile.validators import Problems, Table, parse_clock, section_table

REMINDER_KEYS = (
    "before_report_due", "before_sign_by", "at", "quiet_hours", "skip_weekends",
    "group_summary",
)  # fmt: skip

_OFFSET_RE = re.compile(r"\d+[dhm]")


def _offset_problem(text: str) -> str | None:
    if _OFFSET_RE.fullmatch(text):
        return None
    return f'"{text}" is not an offset like "7d", "2h" or "30m"'


def read_reminders(data: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    table = section_table(data, "reminders", problems)
    if table is None:
        return {}
    t = Table(table, "reminders", problems, REMINDER_KEYS)
    at_text = t.string("at")
    at = parse_clock(at_text) if at_text is not None else None
    if at_text is not None and at is None:
        t.add("at", f'"{at_text}" is not a time of day "HH:MM"')
    return {
        "before_report_due": t.string_list(
            "before_report_due", unique=True, check=_offset_problem
        ),
        "before_sign_by": t.string_list("before_sign_by", unique=True, check=_offset_problem),
        "at": at,
        "quiet_hours": _read_quiet_hours(t),
        "skip_weekends": t.boolean("skip_weekends"),
        "group_summary": t.boolean("group_summary"),
    }


def _read_quiet_hours(t: Table) -> str | None:
    text = t.string("quiet_hours", keep_empty=True)
    if not text:
        return text
    parts = [parse_clock(part.strip()) for part in text.split("-")]
    if len(parts) != 2 or parts[0] is None or parts[1] is None:
        t.add("quiet_hours", f'"{text}" is not "" or a range "HH:MM-HH:MM"')
        return None
    if parts[0] == parts[1]:
        t.add("quiet_hours", f'"{text}" starts and ends at the same time')
        return None
    # Stored zero-padded so the scheduler can split it without re-validating.
    return f"{parts[0]:%H:%M}-{parts[1]:%H:%M}"
