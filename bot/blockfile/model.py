"""The block file (TOML) as validated, typed data: what `thidua-bot setup` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

from bot.formatting import clip

UnitRole = Literal["chair", "vice_chair", "member"]
CriterionKind = Literal["score", "number", "percent", "yesno", "text"]
LateReports = Literal["accept", "refuse"]
ActivityKind = Literal["sports", "charity", "seminar", "culture", "other"]
# How the chair hears of registrations and submissions (bot.services.digest).
ChairDigest = Literal["hourly", "daily", "immediate"]

# A deadline given as a bare date means 17:00 local time that day (issue 2, block setup).
DATE_ONLY_DEADLINE_TIME = time(17, 0)

# A unit's short name fits a chart's axis and a button on a phone (bot/charts/draw.py).
UNIT_SHORT_NAME_MAX = 24


def short_name_of(name: str, short_name: str | None = None) -> str:
    """The name a unit goes by where room is short: its block file `short_name`, else its
    name when that has at most UNIT_SHORT_NAME_MAX characters, else the name's first whole
    words that fit, then "…" (cut inside a word only when its first words are too long).
    Never a shortening by rule: "Ban", "Đảng ủy" are part of what tells units apart, so a
    block with long names sets their short names."""
    if short_name:
        return short_name
    if len(name) <= UNIT_SHORT_NAME_MAX:
        return name
    kept = ""
    for word in name.split():
        if len(f"{kept} {word}".strip()) > UNIT_SHORT_NAME_MAX - 1:
            break
        kept = f"{kept} {word}".strip()
    kept = kept.rstrip(" ,;:–-")
    if len(kept) >= UNIT_SHORT_NAME_MAX // 2:
        return kept + "…"
    return clip(name, UNIT_SHORT_NAME_MAX)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    role: UnitRole = "member"
    slogan: str | None = None
    targets: dict[str, Decimal] = field(default_factory=dict)
    short_name: str | None = None  # as written; short_name_of gives the one to show


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
class ActivitySpec:
    """A joint activity declared in the block file ([[activities]])."""

    code: str
    title: str
    starts: datetime  # timezone-aware, in the block's timezone
    answer_by: datetime  # timezone-aware; a bare date means 17:00 that day
    kind: ActivityKind = "other"
    ends: datetime | None = None
    place: str | None = None
    criterion: str | None = None  # a yesno or number criterion attendance fills
    absence_penalty: Decimal | None = None  # points for an absence without a reason


@dataclass(frozen=True)
class AwardSpec:
    """An award the block proposes units for by secret ballot ([[awards]])."""

    code: str
    name: str
    seats: int = 1  # at most this many units proposed
    threshold: Decimal = Decimal("0.5")  # passes with MORE than this share of all units
    candidates_top: int | None = None  # the year ranking's first N; None: every unit


@dataclass(frozen=True)
class AwardReviewSpec:
    """How the award vote runs ([review]); the block's regulations (quy chế) decide."""

    quorum: Decimal = Decimal("0.67")  # share of member units that must vote
    self_vote: bool = True
    remind_before: tuple[str, ...] = ("30m", "5m")
    cites: tuple[str, ...] = ()  # the legal texts the proposal (tờ trình) cites


@dataclass(frozen=True)
class RankingSpec:
    """How the scoring table grades units ([ranking]); empty: the documented defaults."""

    grades: tuple[tuple[str, Decimal], ...] = ()  # (name, share % of full marks), best first


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
    publish_self_scores: bool = False  # self-scores in the group before appraisal
    chair_digest: ChairDigest = "hourly"
    units: tuple[UnitSpec, ...] = ()
    phases: tuple[PhaseSpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()
    covenant: CovenantSpec | None = None
    reminders: RemindersSpec = field(default_factory=RemindersSpec)
    activities: tuple[ActivitySpec, ...] = ()
    awards: tuple[AwardSpec, ...] = ()
    review: AwardReviewSpec = field(default_factory=AwardReviewSpec)
    ranking: RankingSpec = field(default_factory=RankingSpec)


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
