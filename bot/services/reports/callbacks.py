"""The report form's callback data ("rp:"), built and parsed in one place.

The form's buttons (bot/services/reports, handlers/report/views.py) and the unit's notice
that opens the report again are built here; handlers/report reads the presses back with
`parse`. Only ids travel in a button: who may press, and what the ids point to, is
re-checked from the database on every press. Telegram allows 1-64 bytes of callback data
(bot.buttons.CALLBACK_DATA_MAX_BYTES); the longest format here, with ids of
ID_DIGITS digits, stays well under it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PREFIX = "rp:"
# The handler's pattern: every press of this feature, well-formed or not, is routed to it
# (a malformed one is refused and audited there rather than left to spin).
PATTERN = "^" + re.escape(PREFIX)

# Database ids fit in 18 decimal digits (SQLite's INTEGER is 64-bit signed). ASCII digits
# only: str.isdigit and `\d` also accept other scripts' digits and superscripts ("²").
ID_DIGITS = 18
ID = f"([0-9]{{1,{ID_DIGITS}}})"


@dataclass(frozen=True)
class OpenReport:
    """Show the form (the refresh and back buttons, and the unit's notices)."""

    phase_id: int


@dataclass(frozen=True)
class OpenPage:
    """Show one page of the form (a criterion group, or part of a long one; see
    bot.services.reports.pages): the overview's group buttons, «◀ ▶», a question's back."""

    phase_id: int
    page: int


@dataclass(frozen=True)
class ShowValues:
    """Send every value of the report in full (the record a unit keeps)."""

    phase_id: int


@dataclass(frozen=True)
class ChooseCriterion:
    """Ask for one criterion's value."""

    phase_id: int
    criterion_id: int


@dataclass(frozen=True)
class AnswerYesNo:
    """Answer a yes/no criterion."""

    phase_id: int
    criterion_id: int
    answer: bool


@dataclass(frozen=True)
class PreviewSubmit:
    """Show the summary to confirm before submitting."""

    phase_id: int


@dataclass(frozen=True)
class ConfirmSubmit:
    """Submit the report (the summary's confirm button)."""

    phase_id: int


Press = (OpenReport | OpenPage | ShowValues | ChooseCriterion | AnswerYesNo | PreviewSubmit
         | ConfirmSubmit)


def id_text(value: int) -> str:
    """An id as it goes into callback data; ValueError if `parse` could not read it back."""
    if not 0 <= value < 10**ID_DIGITS:
        raise ValueError(f"an id in callback data has at most {ID_DIGITS} digits: {value}")
    return str(value)


def open_report(phase_id: int) -> str:
    return f"{PREFIX}o:{id_text(phase_id)}"


def open_page(phase_id: int, page: int) -> str:
    return f"{PREFIX}g:{id_text(phase_id)}:{id_text(page)}"


def show_values(phase_id: int) -> str:
    return f"{PREFIX}v:{id_text(phase_id)}"


def choose_criterion(phase_id: int, criterion_id: int) -> str:
    return f"{PREFIX}c:{id_text(phase_id)}:{id_text(criterion_id)}"


def answer_yesno(phase_id: int, criterion_id: int, answer: bool) -> str:
    return f"{PREFIX}y:{id_text(phase_id)}:{id_text(criterion_id)}:{int(answer)}"


def preview_submit(phase_id: int) -> str:
    return f"{PREFIX}s:{id_text(phase_id)}"


def confirm_submit(phase_id: int) -> str:
    return f"{PREFIX}k:{id_text(phase_id)}"


def data_of(press: Press) -> str:
    """The callback data of a press (the inverse of `parse`)."""
    match press:
        case OpenReport(phase):
            return open_report(phase)
        case OpenPage(phase, page):
            return open_page(phase, page)
        case ShowValues(phase):
            return show_values(phase)
        case ChooseCriterion(phase, criterion):
            return choose_criterion(phase, criterion)
        case AnswerYesNo(phase, criterion, answer):
            return answer_yesno(phase, criterion, answer)
        case PreviewSubmit(phase):
            return preview_submit(phase)
        case ConfirmSubmit(phase):
            return confirm_submit(phase)


_FORMATS: tuple[tuple[re.Pattern[str], Callable[[tuple[str, ...]], Press]], ...] = (
    (re.compile(rf"{re.escape(PREFIX)}o:{ID}"), lambda g: OpenReport(int(g[0]))),
    (re.compile(rf"{re.escape(PREFIX)}g:{ID}:{ID}"), lambda g: OpenPage(int(g[0]), int(g[1]))),
    (re.compile(rf"{re.escape(PREFIX)}v:{ID}"), lambda g: ShowValues(int(g[0]))),
    (re.compile(rf"{re.escape(PREFIX)}c:{ID}:{ID}"),
     lambda g: ChooseCriterion(int(g[0]), int(g[1]))),
    (re.compile(rf"{re.escape(PREFIX)}y:{ID}:{ID}:([01])"),
     lambda g: AnswerYesNo(int(g[0]), int(g[1]), g[2] == "1")),
    (re.compile(rf"{re.escape(PREFIX)}s:{ID}"), lambda g: PreviewSubmit(int(g[0]))),
    (re.compile(rf"{re.escape(PREFIX)}k:{ID}"), lambda g: ConfirmSubmit(int(g[0]))),
)


def parse(data: str | None) -> Press | None:
    """The press a button's data stands for; None if it is not exactly one of ours."""
    if not data:
        return None
    for pattern, press in _FORMATS:
        match = pattern.fullmatch(data)
        if match is not None:
            return press(match.groups())
    return None
