"""Readers for each section of a block file.

Each reader returns the keyword arguments of its spec class (None for absent or unusable
values) and records problems; the specs are built only once the whole file is clean.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.blockfile.model import (
    UNIT_SHORT_NAME_MAX,
    ChairDigest,
    CriterionKind,
    LateReports,
    UnitRole,
    short_name_of,
)
from bot.blockfile.validators import (
    Problems,
    Table,
    clean,
    join,
    quoted,
    section_table,
    table_array,
    to_decimal,
    type_name,
)

Fields = dict[str, Any]

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
CODE_MAX = 32
# Unit codes travel in callback_data (64 bytes with the action and ids) and label buttons.
UNIT_CODE_MAX = 16
# Catches typos like 20233 without guessing how far ahead a block may be prepared.
YEAR_RANGE = (2000, 2100)

ROLES: tuple[str, ...] = get_args(UnitRole)
KINDS: tuple[str, ...] = get_args(CriterionKind)
LATE_REPORTS: tuple[str, ...] = get_args(LateReports)
CHAIR_DIGESTS: tuple[str, ...] = get_args(ChairDigest)
LANGUAGES = ("vi", "en")
MEASURED_KINDS = ("number", "percent")
SINGLE_ROLES = ("chair", "vice_chair")

BLOCK_KEYS = (
    "code", "name", "province", "year", "theme", "timezone", "language",
    "vice_chair_rights", "late_reports", "phase_weights", "post_ranking",
    "publish_self_scores", "chair_digest",
)  # fmt: skip
UNIT_KEYS = ("code", "name", "short_name", "role", "slogan", "targets")
PHASE_KEYS = ("code", "name", "start", "end", "theme", "report_due")
CRITERION_KEYS = (
    "code", "group", "title", "kind", "unit", "target", "max_points", "bonus", "penalty",
)  # fmt: skip
COVENANT_KEYS = ("title", "sign_by", "preamble", "commitments")


def _check_unique(t: Table, key: str, value: str | None, seen: set[str]) -> None:
    if value is None:
        return
    # Names differing only in case are the same unit to a reader of the ranking.
    folded = value.casefold()
    if folded in seen:
        t.add(key, f'duplicate "{value}"')
    seen.add(folded)


def read_block(data: Mapping[str, Any], problems: Problems) -> tuple[Fields, ZoneInfo]:
    t = Table(data, "block", problems, BLOCK_KEYS)
    # Read in the order of the example file, so problems are listed in reading order.
    fields: Fields = {
        "code": t.code("code", max_len=CODE_MAX),
        "name": t.string("name", required=True),
        "province": t.string("province"),
        "year": _read_year(t),
        "theme": t.string("theme"),
        "timezone": t.string("timezone"),
    }
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    if fields["timezone"] is not None:
        try:
            zone = ZoneInfo(fields["timezone"])
        except (ZoneInfoNotFoundError, ValueError, OSError):
            t.add("timezone", f'unknown time zone "{fields["timezone"]}"')
    fields |= {
        "language": t.choice("language", LANGUAGES),
        "vice_chair_rights": t.boolean("vice_chair_rights"),
        "late_reports": t.choice("late_reports", LATE_REPORTS),
        "phase_weights": _read_weights(t),
        "post_ranking": t.boolean("post_ranking"),
        "publish_self_scores": t.boolean("publish_self_scores"),
        "chair_digest": t.choice("chair_digest", CHAIR_DIGESTS),
    }
    return fields, zone


def _read_year(t: Table) -> int | None:
    year = t.integer("year", required=True)
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        t.add("year", f"must be between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}; got {year}")
        return None  # so phase dates are not all reported as far from a typo
    return year


def _read_weights(t: Table) -> dict[str, Decimal] | None:
    table = t.table("phase_weights")
    if table is None:
        return None
    weights: dict[str, Decimal] = {}
    for key, value in table.items():
        path = join(t.at("phase_weights"), key)
        number = to_decimal(value)
        if number is None:
            t.problems.add(path, f"expected a number, got {type_name(value)}")
        elif number < 0:
            t.problems.add(path, "must be >= 0")
        else:
            weights[clean(key)] = number
    return weights


def check_weights(block: Fields, phases: list[Fields], problems: Problems) -> None:
    """Weights must name real phases and cover all of them, or the year total is a guess."""
    weights: dict[str, Decimal] | None = block.get("phase_weights")
    if not weights:
        return
    phase_codes = [p["code"] for p in phases if p["code"] is not None]
    for code in weights:
        if code not in phase_codes:
            problems.add(join("block.phase_weights", code), f'no phase with code "{code}"')
    for code in phase_codes:
        if code not in weights:
            problems.add("block.phase_weights", f'no weight for phase "{code}"')
    if all(weight == 0 for weight in weights.values()):
        problems.add("block.phase_weights", "at least one weight must be > 0")


def read_criteria(
    data: Mapping[str, Any], problems: Problems
) -> tuple[list[Fields], dict[str, str | None]]:
    """The criteria and a code -> kind map (kind None if unreadable) for unit targets."""
    criteria: list[Fields] = []
    kinds: dict[str, str | None] = {}
    seen: set[str] = set()
    for path, item in table_array(data, "criteria", problems):
        t = Table(item, path, problems, CRITERION_KEYS)
        code = t.code("code", max_len=CODE_MAX)
        _check_unique(t, "code", code, seen)
        fields: Fields = {
            "code": code,
            "group": t.string("group"),
            "title": t.string("title", required=True),
            "kind": t.choice("kind", KINDS, required=True),
            "unit": t.string("unit"),
        }
        kind = fields["kind"]
        if code is not None:
            kinds.setdefault(code, kind)
        fields["target"] = _read_criterion_target(t, kind)
        fields["max_points"] = _read_max_points(t, kind)
        fields["bonus"], fields["penalty"] = t.boolean("bonus"), t.boolean("penalty")
        if fields["bonus"] and fields["penalty"]:
            problems.add(path, "bonus and penalty cannot both be true")
        criteria.append(fields)
    return criteria, kinds


def _read_criterion_target(t: Table, kind: str | None) -> Decimal | None:
    target = t.number("target")
    if kind in MEASURED_KINDS:
        if not t.has("target"):
            t.add("target", f'required for kind "{kind}"')
        elif target is not None:
            _check_target(t.problems, t.at("target"), target, kind)
    elif kind is not None and t.has("target"):
        t.add("target", f'not allowed for kind "{kind}"')
    return target


def _read_max_points(t: Table, kind: str | None) -> Decimal | None:
    max_points = t.number("max_points", required=True)
    if max_points is not None:
        if max_points < 0:
            t.add("max_points", "must be >= 0")
        # A text criterion is narrative only and may carry no points of its own.
        elif max_points == 0 and kind is not None and kind != "text":
            t.add("max_points", f'must be > 0 for kind "{kind}"')
    return max_points


def _check_target(problems: Problems, path: str, target: Decimal, kind: str | None) -> None:
    if target <= 0:
        problems.add(path, "must be > 0")
    elif kind == "percent" and target > 100:
        problems.add(path, 'must be at most 100 for kind "percent"')


def read_units(
    data: Mapping[str, Any], problems: Problems, kinds: Mapping[str, str | None]
) -> list[Fields]:
    if not data.get("units"):
        problems.add("units", "at least one unit is required")
    units: list[Fields] = []
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    seen_short: dict[str, str] = {}
    holders: dict[str, list[str]] = {role: [] for role in SINGLE_ROLES}
    for path, item in table_array(data, "units", problems):
        t = Table(item, path, problems, UNIT_KEYS)
        code = t.code("code", max_len=UNIT_CODE_MAX)
        _check_unique(t, "code", code, seen_codes)
        name = t.string("name", required=True)
        repeated = name is not None and name.casefold() in seen_names
        _check_unique(t, "name", name, seen_names)
        short_name = _read_short_name(t, name, seen_short, repeated)
        role = t.choice("role", ROLES)
        if role in holders:
            if holders[role]:
                t.add("role", f'only one unit may be "{role}"; {holders[role][0]} already is')
            holders[role].append(f'"{code}"' if code else path)
        units.append({
            "code": code, "name": name, "role": role, "slogan": t.string("slogan"),
            "targets": _read_targets(t, kinds), "short_name": short_name,
        })  # fmt: skip
    if units and not holders["chair"]:
        problems.add("units", 'no unit has role "chair"')
    return units


def _read_short_name(
    t: Table, name: str | None, seen: dict[str, str], repeated: bool
) -> str | None:
    """`short_name`: at most UNIT_SHORT_NAME_MAX characters, and no two units may go by
    the same one on a chart (given, or made from their names; a name given twice is
    reported once, as a duplicate name)."""
    short = t.string("short_name")
    if short is not None and len(short) > UNIT_SHORT_NAME_MAX:
        t.add("short_name", f'"{short}" is too long ({len(short)} characters, at most '
                            f"{UNIT_SHORT_NAME_MAX})")
        return None
    if name is None:
        return short
    shown = short_name_of(name, short).casefold()
    if shown in seen and not (repeated and short is None):
        key = "short_name" if short else "name"
        t.add(key, f'goes by the same short name as {seen[shown]} ("{short_name_of(name, short)}")'
              + ("" if short else "; give one of them a short_name"))
    seen.setdefault(shown, t.path)
    return short


def _read_targets(t: Table, kinds: Mapping[str, str | None]) -> dict[str, Decimal] | None:
    table = t.table("targets")
    if table is None:
        return None
    targets: dict[str, Decimal] = {}
    for key, value in table.items():
        code, path = clean(key), join(t.at("targets"), key)
        if code not in kinds:
            t.problems.add(path, f'no criterion with code "{code}"')
            continue
        kind = kinds[code]
        if kind is not None and kind not in MEASURED_KINDS:
            t.problems.add(
                path,
                f'criterion "{code}" has kind "{kind}"; targets need {quoted(MEASURED_KINDS)}',
            )
            continue
        number = to_decimal(value)
        if number is None:
            t.problems.add(path, f"expected a number, got {type_name(value)}")
            continue
        _check_target(t.problems, path, number, kind)
        targets[code] = number
    return targets


def read_phases(
    data: Mapping[str, Any], problems: Problems, zone: ZoneInfo, year: int | None
) -> list[Fields]:
    phases: list[Fields] = []
    seen: set[str] = set()
    spans: list[tuple[str, str | None, date, date]] = []
    for path, item in table_array(data, "phases", problems):
        t = Table(item, path, problems, PHASE_KEYS)
        code = t.code("code", max_len=CODE_MAX)
        _check_unique(t, "code", code, seen)
        name = t.string("name", required=True)
        start, end = t.date("start", required=True), t.date("end", required=True)
        theme = t.string("theme")
        due = t.deadline("report_due", zone, required=True)
        for key, day in (("start", start), ("end", end)):
            # A block year may straddle New Year, but not by more than that.
            if day is not None and year is not None and abs(day.year - year) > 1:
                t.add(key, f"{day.isoformat()} is too far from block.year {year}")
        if start is not None and end is not None:
            if end < start:
                problems.add(path, "end before start")
            else:
                spans.append((path, code, start, end))
        if start is not None and due is not None and due.date() < start:
            problems.add(path, "report_due before start")
        phases.append({
            "code": code, "name": name, "start": start, "end": end, "report_due": due,
            "theme": theme,
        })  # fmt: skip
    for later, (path, _, start, end) in enumerate(spans):
        for other_path, other_code, other_start, other_end in spans[:later]:
            if start <= other_end and other_start <= end:
                label = f' ("{other_code}")' if other_code else ""
                problems.add(path, f"overlaps {other_path}{label}")
    return phases


def read_covenant(data: Mapping[str, Any], problems: Problems, zone: ZoneInfo) -> Fields | None:
    table = section_table(data, "covenant", problems)
    if table is None:
        return None
    t = Table(table, "covenant", problems, COVENANT_KEYS)
    fields: Fields = {
        "title": t.string("title", required=True),
        "sign_by": t.deadline("sign_by", zone),
        "preamble": t.string("preamble", required=True),
        "commitments": t.string_list("commitments", required=True, unique=True),
    }
    if t.get("commitments") == []:
        t.add("commitments", "at least one commitment is required")
    return fields
