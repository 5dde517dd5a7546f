"""The reminders' own callback data: «⏰ Nhắc lại sau» under a reminder, built and parsed
in one place. The data says which reminder (what it is about); who is reminded, and
whether anything is still owed, is read from the database at the press.

    rm:z:r:<phase>     a report reminder or overdue notice (the unit's report of the phase)
    rm:z:s:<version>   a signing reminder (the published covenant version)
    rm:z:b:<report>    a "returned for correction" notice (the report)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PREFIX = "rm:"
PATTERN = "^" + re.escape(PREFIX)  # every press of the feature, well-formed or not
ID_DIGITS = 18
_SNOOZE = re.compile(rf"{re.escape(PREFIX)}z:([rsb]):([0-9]{{1,{ID_DIGITS}}})")

SnoozeKind = Literal["report", "sign", "returned"]
_LETTERS: dict[SnoozeKind, str] = {"report": "r", "sign": "s", "returned": "b"}
_KINDS: dict[str, SnoozeKind] = {v: k for k, v in _LETTERS.items()}


@dataclass(frozen=True)
class SnoozePress:
    kind: SnoozeKind
    subject_id: int  # a phase id, a covenant version id, a report id


def snooze_data(kind: SnoozeKind, subject_id: int) -> str:
    if not 0 <= subject_id < 10**ID_DIGITS:
        raise ValueError(f"an id in callback data has at most {ID_DIGITS} digits")
    return f"{PREFIX}z:{_LETTERS[kind]}:{subject_id}"


def parse_snooze(data: str | None) -> SnoozePress | None:
    found = _SNOOZE.fullmatch(data or "")
    if found is None:
        return None
    return SnoozePress(_KINDS[found.group(1)], int(found.group(2)))
