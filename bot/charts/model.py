"""What a chart shows, as plain frozen data: the ranking service fills these in, the
renderers and the caption read them. No Telegram, no database, no matplotlib here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class RankingEntry:
    unit_code: str
    unit_name: str
    rank: int  # tied units share a rank (1, 1, 3 …)
    total: Decimal
    # Group title -> points; bonus groups positive, penalty groups NEGATIVE.
    points_by_group: Mapping[str, Decimal]
    provisional: bool = False  # not yet appraised by the chair ("Tạm tính")
    # Past the deadline with no report: drawn as "chưa nộp báo cáo", without points.
    unreported: bool = False
    short_name: str = ""  # the name on the chart's axis; empty: the full name, cut to fit

    @property
    def label(self) -> str:
        return self.short_name or self.unit_name


@dataclass(frozen=True)
class RankingChart:
    block_name: str
    period_label: str  # "Đợt 1" or "Cả năm 2023"
    as_of: datetime  # aware, in the block's timezone; only its date is shown
    max_points: Decimal  # the full marks of the table, marked by a dashed line
    groups: tuple[str, ...]  # display order = the scoring table's order (fixes the colours)
    entries: tuple[RankingEntry, ...]  # already ranked, rank 1 first
    lang: str = "vi"

    @property
    def provisional(self) -> bool:
        return any(e.provisional for e in self.entries)

    @property
    def scored(self) -> tuple[RankingEntry, ...]:
        """The entries with points (not the units that have not reported)."""
        return tuple(e for e in self.entries if not e.unreported)

    @property
    def final(self) -> bool:
        """Every score shown is appraised: the official result ("Chính thức")."""
        return bool(self.scored) and not self.provisional

    @property
    def all_provisional(self) -> bool:
        """Every score shown is provisional: one note says so, no entry needs a mark.
        Units that have not reported carry no score, so they count for neither."""
        scored = self.scored
        return bool(scored) and all(e.provisional for e in scored)

    @property
    def marked(self) -> bool:
        """Some scores, not all, are provisional: those few carry a mark."""
        return self.provisional and not self.all_provisional


@dataclass(frozen=True)
class ProgressEntry:
    unit_code: str
    unit_name: str
    # Criterion code -> % of the unit's target reached (may exceed 100); a missing code
    # means the unit has reported nothing for that criterion yet.
    percent_by_criterion: Mapping[str, Decimal] = field(default_factory=dict)
    short_name: str = ""  # as RankingEntry.short_name

    @property
    def label(self) -> str:
        return self.short_name or self.unit_name


@dataclass(frozen=True)
class ProgressChart:
    block_name: str
    period_label: str
    as_of: datetime
    criteria: tuple[tuple[str, str], ...]  # (code, short title) in table order
    entries: tuple[ProgressEntry, ...]
    lang: str = "vi"


Chart = RankingChart | ProgressChart
