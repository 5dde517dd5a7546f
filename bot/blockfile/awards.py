"""Readers for ``[[awards]]`` (what the block proposes units for) and ``[review]`` (how the
secret ballot runs). Provinces' regulations differ (more than half, two thirds, 70 %; the
quorum), so every rule is a setting with the common default (bot.blockfile.model)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.blockfile.validators import Problems, Table, section_table, table_array

Fields = dict[str, Any]

AWARD_KEYS = ("code", "name", "seats", "threshold", "candidates_top")
REVIEW_KEYS = ("quorum", "self_vote", "remind_before", "cites")
AWARD_CODE_MAX = 32
# A ballot's buttons carry the award's and the candidate's positions (two digits each).
AWARDS_MAX = 9
_OFFSET_RE = re.compile(r"\d+[hm]")


def _offset_problem(text: str) -> str | None:
    if _OFFSET_RE.fullmatch(text) and int(text[:-1]) > 0:
        return None
    return f'"{text}" is not a time before closing like "30m" or "2h"'


def _share(t: Table, key: str, *, low_open: bool) -> Decimal | None:
    """A share of the member units: 0 < x ≤ 1 (a quorum) or 0 ≤ x < 1 (a threshold)."""
    value = t.number(key)
    if value is None:
        return None
    if (low_open and not Decimal(0) < value <= 1) or (not low_open and not 0 <= value < 1):
        span = "above 0 and at most 1" if low_open else "at least 0 and below 1"
        t.add(key, f"must be a share {span} (0.5 is half), got {value}")
        return None
    return value


def _positive(t: Table, key: str) -> int | None:
    value = t.integer(key)
    if value is not None and value < 1:
        t.add(key, f"must be 1 or more, got {value}")
        return None
    return value


def read_awards(data: Mapping[str, Any], problems: Problems, unit_count: int
                ) -> tuple[list[Fields], Fields]:
    """The awards' fields (in file order) and the review's; problems are recorded."""
    awards: list[Fields] = []
    codes: set[str] = set()
    names: set[str] = set()
    tables = table_array(data, "awards", problems)
    if len(tables) > AWARDS_MAX:
        problems.add("awards", f"at most {AWARDS_MAX} awards, got {len(tables)}")
    for path, table in tables:
        t = Table(table, path, problems, AWARD_KEYS)
        code = t.code("code", max_len=AWARD_CODE_MAX)
        if code is not None:
            if code in codes:
                t.add("code", f'duplicate "{code}"')
            codes.add(code)
        name = t.string("name", required=True)
        if name is not None:
            if name.casefold() in names:
                t.add("name", f'duplicate "{name}"')
            names.add(name.casefold())
        seats = _positive(t, "seats")
        if seats is not None and unit_count and seats > unit_count:
            t.add("seats", f"{seats} seats for a block of {unit_count} units")
        top = _positive(t, "candidates_top")
        if top is not None and top < (seats or 1):
            t.add("candidates_top", f"{top} candidates cannot fill {seats or 1} seats")
        awards.append({"code": code, "name": name, "seats": seats,
                       "threshold": _share(t, "threshold", low_open=False),
                       "candidates_top": top})
    return awards, read_review(data, problems)


def read_review(data: Mapping[str, Any], problems: Problems) -> Fields:
    table = section_table(data, "review", problems)
    if table is None:
        return {}
    t = Table(table, "review", problems, REVIEW_KEYS)
    return {
        "quorum": _share(t, "quorum", low_open=True),
        "self_vote": t.boolean("self_vote"),
        "remind_before": t.string_list("remind_before", unique=True, check=_offset_problem),
        "cites": t.string_list("cites"),
    }
