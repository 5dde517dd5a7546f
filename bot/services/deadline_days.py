"""Deadlines that fall on a day the offices are closed: a Saturday, a Sunday or a public
holiday of Vietnam (the fixed ones and Tết, from the `holidays` library, which follows the
lunar calendar and the government's days in lieu). Setup warns about them and goes on: a
block may mean it, but usually the date was typed from last year's file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import holidays

from bot.blockfile.model import BlockSpec, PhaseSpec


@dataclass(frozen=True)
class OddDay:
    what: str  # which deadline, as the block file names it ("report_due of DOT1 (Đợt 1)")
    day: date
    why: str  # "a Saturday", "a Sunday", or the holiday's name
    # For the command line to word it in its own language: which deadline, of which phase.
    kind: str = "report_due"  # or "sign_by"
    phase_code: str | None = None  # report_due only
    phase_name: str | None = None


def holiday_name(day: date, language: str = "en_US") -> str | None:
    """The public holiday of Vietnam on `day`, in `language` ("vi", "en_US"), or None."""
    holiday = holidays.country_holidays("VN", years=day.year, language=language).get(day)
    return str(holiday) if holiday else None


def why_closed(day: date, language: str = "en_US") -> str | None:
    """Why offices are closed on `day`, or None on a working day."""
    holiday = holiday_name(day, language)
    if holiday:
        return holiday
    if day.weekday() == 5:
        return "a Saturday"
    if day.weekday() == 6:
        return "a Sunday"
    return None


def odd_deadlines(spec: BlockSpec) -> list[OddDay]:
    """The block's deadlines (each phase's report_due, the covenant's sign_by) that fall on
    a day the offices are closed, in the block's own time zone."""
    found: list[tuple[str, datetime, str, PhaseSpec | None]] = [
        (f"report_due of {p.code} ({p.name})", p.report_due, "report_due", p)
        for p in spec.phases]
    if spec.covenant is not None and spec.covenant.sign_by is not None:
        found.append(("covenant sign_by", spec.covenant.sign_by, "sign_by", None))
    odd = []
    for what, when, kind, phase in found:
        why = why_closed(when.date())
        if why is not None:
            odd.append(OddDay(what, when.date(), why, kind,
                              phase.code if phase else None, phase.name if phase else None))
    return odd
