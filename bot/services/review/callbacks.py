"""The chair's appraisal screens' callback data ("rv:"), built and parsed in one place.

handlers/review/views.py builds the buttons with these functions and handlers/review reads
the presses back with `parse`. Only ids travel in a button: chair rights and the report's
block are re-checked from the database on every press. The buttons that change a report
(accept, return, a criterion's points) also carry the report's version the screen showed,
so the change is made only if nobody changed the report since (compare-and-set); buttons
of an earlier release without it still parse, with `version` None, and the handler shows
the report as it is now instead of acting. Telegram allows 1-64 bytes of callback data
(bot.buttons.CALLBACK_DATA_MAX_BYTES); the longest format here, with ids and version of
ID_DIGITS digits, stays under it.

    rv:l:<phase>  rv:d:<phase>  rv:u:<report>  rv:p:<report>:<page>
    rv:e:<report>  rv:e:<report>:<criterion>
    rv:a:<report>:<version>  rv:r:<report>:<version>  rv:c:<report>:<criterion>:<version>
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.services.reports.callbacks import ID, id_text

PREFIX = "rv:"
# The handler's pattern: every press of this feature, well-formed or not, is routed to it
# (a malformed one is refused and audited there rather than left to spin).
PATTERN = "^" + re.escape(PREFIX)

@dataclass(frozen=True)
class ListPhase:
    """The phase's overview: every unit's report state."""

    phase_id: int


@dataclass(frozen=True)
class FinishPhase:
    """Declare the phase's appraisal done (/review done)."""

    phase_id: int


@dataclass(frozen=True)
class OpenUnit:
    """One unit's report, to appraise."""

    report_id: int


@dataclass(frozen=True)
class OpenPage:
    """One page of a unit's report (its criteria in pages, as the unit's form has them)."""

    report_id: int
    page: int


@dataclass(frozen=True)
class AskPoints:
    """Ask the chair's points for one criterion of a report (at the version shown)."""

    report_id: int
    criterion_id: int
    version: int | None = None


@dataclass(frozen=True)
class SendEvidence:
    """Send the report's evidence files to the chair: one criterion's, or all of them."""

    report_id: int
    criterion_id: int | None = None


@dataclass(frozen=True)
class Accept:
    """Finish the report's appraisal (at the version shown) and go on to the next report
    waiting for it."""

    report_id: int
    version: int | None = None


@dataclass(frozen=True)
class AskReturn:
    """Ask why the report goes back to the unit (at the version shown)."""

    report_id: int
    version: int | None = None


Press = (ListPhase | FinishPhase | OpenUnit | OpenPage | AskPoints | SendEvidence | Accept
         | AskReturn)


def list_phase(phase_id: int) -> str:
    return f"{PREFIX}l:{id_text(phase_id)}"


def finish_phase(phase_id: int) -> str:
    return f"{PREFIX}d:{id_text(phase_id)}"


def open_unit(report_id: int) -> str:
    return f"{PREFIX}u:{id_text(report_id)}"


def open_page(report_id: int, page: int) -> str:
    return f"{PREFIX}p:{id_text(report_id)}:{id_text(page)}"


def _at(version: int | None) -> str:
    return "" if version is None else f":{id_text(version)}"


def ask_points(report_id: int, criterion_id: int, version: int | None) -> str:
    return f"{PREFIX}c:{id_text(report_id)}:{id_text(criterion_id)}{_at(version)}"


def send_evidence(report_id: int, criterion_id: int | None = None) -> str:
    of = "" if criterion_id is None else f":{id_text(criterion_id)}"
    return f"{PREFIX}e:{id_text(report_id)}{of}"


def accept(report_id: int, version: int | None) -> str:
    return f"{PREFIX}a:{id_text(report_id)}{_at(version)}"


def ask_return(report_id: int, version: int | None) -> str:
    return f"{PREFIX}r:{id_text(report_id)}{_at(version)}"


def data_of(press: Press) -> str:
    """The callback data of a press (the inverse of `parse`)."""
    match press:
        case ListPhase(phase):
            return list_phase(phase)
        case FinishPhase(phase):
            return finish_phase(phase)
        case OpenUnit(report):
            return open_unit(report)
        case OpenPage(report, page):
            return open_page(report, page)
        case AskPoints(report, criterion, version):
            return ask_points(report, criterion, version)
        case SendEvidence(report, criterion):
            return send_evidence(report, criterion)
        case Accept(report, version):
            return accept(report, version)
        case AskReturn(report, version):
            return ask_return(report, version)


_Format = tuple[re.Pattern[str], Callable[[tuple[str, ...]], Press]]


def _one(kind: str, press: Callable[[int], Press]) -> _Format:
    return re.compile(rf"{re.escape(PREFIX)}{kind}:{ID}"), lambda g: press(int(g[0]))


# The version a changing button carries; absent on buttons of an earlier release.
_VERSION = f"(?::{ID})?"


def _optional_id(text: str | None) -> int | None:
    return None if text is None else int(text)


def _changing(kind: str, press: Callable[[int, int | None], Press]) -> _Format:
    return (re.compile(rf"{re.escape(PREFIX)}{kind}:{ID}{_VERSION}"),
            lambda g: press(int(g[0]), _optional_id(g[1])))


_FORMATS: tuple[_Format, ...] = (
    _one("l", ListPhase),
    _one("d", FinishPhase),
    _one("u", OpenUnit),
    (re.compile(rf"{re.escape(PREFIX)}p:{ID}:{ID}"), lambda g: OpenPage(int(g[0]), int(g[1]))),
    (re.compile(rf"{re.escape(PREFIX)}c:{ID}:{ID}{_VERSION}"),
     lambda g: AskPoints(int(g[0]), int(g[1]), _optional_id(g[2]))),
    (re.compile(rf"{re.escape(PREFIX)}e:{ID}(?::{ID})?"),
     lambda g: SendEvidence(int(g[0]), _optional_id(g[1]))),
    _changing("a", Accept),
    _changing("r", AskReturn),
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
