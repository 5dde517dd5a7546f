"""The block file (TOML) as validated, typed data: what `thidua-bot setup` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

UnitRole = Literal["chair", "vice_chair", "member"]
CriterionKind = Literal["score", "number", "percent", "yesno", "text"]
LateReports = Literal["accept", "refuse"]

# A deadline given as a bare date means 17:00 local time that day (issue 2, block setup).
DATE_ONLY_DEADLINE_TIME = time(17, 0)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    role: UnitRole = "member"
    slogan: str | None = None
    targets: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class PhaseSpec:
    code: str
    name: str
    start: date
    end: date
    report_due: datetime  # timezone-aware, in the block's timezone
    theme: str | None = None


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    kind: CriterionKind
    max_points: Decimal
    group: str | None = None
    unit: str | None = None  # unit of measure, e.g. "đồng"
    target: Decimal | None = None  # required for number and percent
    bonus: bool = False
    penalty: bool = False


@dataclass(frozen=True)
class CovenantSpec:
    title: str
    preamble: str
    commitments: tuple[str, ...]
    sign_by: datetime | None = None  # timezone-aware


@dataclass(frozen=True)
class RemindersSpec:
    before_report_due: tuple[str, ...] = ("7d", "3d", "1d", "2h")
    before_sign_by: tuple[str, ...] = ("3d", "1d")
    at: time = time(8, 0)
    quiet_hours: str = "21:00-07:00"  # "" disables
    skip_weekends: bool = False
    group_summary: bool = True


@dataclass(frozen=True)
class BlockSpec:
    code: str
    name: str
    year: int
    province: str | None = None
    theme: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    language: Literal["vi", "en"] = "vi"
    vice_chair_rights: bool = True
    late_reports: LateReports = "accept"
    phase_weights: dict[str, Decimal] = field(default_factory=dict)
    post_ranking: bool = True
    units: tuple[UnitSpec, ...] = ()
    phases: tuple[PhaseSpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()
    covenant: CovenantSpec | None = None
    reminders: RemindersSpec = field(default_factory=RemindersSpec)


@dataclass(frozen=True)
class BlockFileProblem:
    """One thing wrong with a block file, located by its key path (``units[3].code``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class BlockFileError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[BlockFileProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
