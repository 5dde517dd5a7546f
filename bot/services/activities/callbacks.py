"""The joint-activity feature's callback data, defined once: a builder and a parser for
every button the feature puts under a message; the handlers' patterns come from here too.

Formats (each well under Telegram's 64 bytes):
- ``ac:g:<activity>:<y|n>``: «Tham gia» / «Không tham gia» on the group card (the unit is
  the presser's, read from the database)
- ``ac:a:<activity>:<unit>:<revision>:<y|n>``: the same on a representative's own copy; the
  unit names whose copy it is (a press on another unit's copy is refused), the revision
  the answer the copy showed (of two answers at once, only one is kept)
- ``ac:c:<activity>:<revision>:<n>``: how many people come (1-10)
- ``ac:s:<activity>:<revision>``: no names to give
- ``ac:k:<activity>``: check in with a photo on the day
- ``ac:v:<activity>``: an activity's details from /activities
- ``ac:m:<activity>``, ``ac:t:<activity>:<unit>``, ``ac:w:<activity>``: the chair's
  attendance list, one unit's toggle, save
- ``ac:d:<step>:<arg>``: the /activity new wizard (kind, criterion, create, cancel)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID = r"[0-9]{1,18}"  # a database id in callback data (never str.isdigit: no other digits)
SMALL = r"[0-9]{1,6}"

PREFIX = "ac:"
GROUP_PREFIX = "ac:g:"  # the only buttons of this feature that live in a group

_GROUP = re.compile(rf"^ac:g:({ID}):([yn])$")
_ANSWER = re.compile(rf"^ac:a:({ID}):({ID}):({SMALL}):([yn])$")
_COUNT = re.compile(rf"^ac:c:({ID}):({SMALL}):({SMALL})$")
_SKIP = re.compile(rf"^ac:s:({ID}):({SMALL})$")
_ONE = re.compile(rf"^ac:([kvmw]):({ID})$")
_TOGGLE = re.compile(rf"^ac:t:({ID}):({ID})$")
_WIZARD = re.compile(r"^ac:d:([a-z]{1,8}):([0-9a-z]{1,18})$")

MAX_PEOPLE_BUTTON = 10

# The handlers' CallbackQueryHandler patterns, one per kind of press.
ANSWER_PATTERN = r"^ac:[ga]:"
PEOPLE_PATTERN = r"^ac:c:"
SKIP_PATTERN = r"^ac:s:"
DETAIL_PATTERN = r"^ac:[kv]:"
ATTENDANCE_PATTERN = r"^ac:[mwt]:"
WIZARD_PATTERN = r"^ac:d:"


@dataclass(frozen=True)
class AnswerPress:
    activity_id: int
    yes: bool
    unit_id: int | None = None  # None: the group card
    revision: int = 0


def group_answer(activity_id: int, yes: bool) -> str:
    return f"ac:g:{activity_id}:{'y' if yes else 'n'}"


def own_answer(activity_id: int, unit_id: int, revision: int, yes: bool) -> str:
    return f"ac:a:{activity_id}:{unit_id}:{revision}:{'y' if yes else 'n'}"


def parse_answer(data: str | None) -> AnswerPress | None:
    """A «Tham gia» / «Không tham gia» press, from the group card or a private copy."""
    text = data or ""
    if match := _GROUP.match(text):
        return AnswerPress(int(match.group(1)), match.group(2) == "y")
    if match := _ANSWER.match(text):
        return AnswerPress(int(match.group(1)), match.group(4) == "y",
                           unit_id=int(match.group(2)), revision=int(match.group(3)))
    return None


def people(activity_id: int, revision: int, count: int) -> str:
    return f"ac:c:{activity_id}:{revision}:{count}"


def parse_people(data: str | None) -> tuple[int, int, int] | None:
    """(activity, revision, count) of a people-count button."""
    match = _COUNT.match(data or "")
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def skip_names(activity_id: int, revision: int) -> str:
    return f"ac:s:{activity_id}:{revision}"


def parse_skip(data: str | None) -> tuple[int, int] | None:
    match = _SKIP.match(data or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def checkin(activity_id: int) -> str:
    return f"ac:k:{activity_id}"


def detail(activity_id: int) -> str:
    return f"ac:v:{activity_id}"


def attendance(activity_id: int) -> str:
    return f"ac:m:{activity_id}"


def save_attendance(activity_id: int) -> str:
    return f"ac:w:{activity_id}"


def parse_one(data: str | None) -> tuple[str, int] | None:
    """(k | v | m | w, activity) of a check-in, details, attendance or save press."""
    match = _ONE.match(data or "")
    return (match.group(1), int(match.group(2))) if match else None


def toggle(activity_id: int, unit_id: int) -> str:
    return f"ac:t:{activity_id}:{unit_id}"


def parse_toggle(data: str | None) -> tuple[int, int] | None:
    match = _TOGGLE.match(data or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


# The wizard's steps that take a press, and their arguments.
WIZARD_KIND = "kind"  # arg: sports | charity | seminar | culture | other
WIZARD_CRITERION = "crit"  # arg: a criterion's id, or "none"
WIZARD_CREATE = "create"  # arg: "go"
WIZARD_CANCEL = "cancel"  # arg: "go"
WIZARD_SKIP = "skip"  # arg: the step skipped (an optional field)


def wizard(step: str, arg: str | int) -> str:
    return f"ac:d:{step}:{arg}"


def parse_wizard(data: str | None) -> tuple[str, str] | None:
    match = _WIZARD.match(data or "")
    return (match.group(1), match.group(2)) if match else None
