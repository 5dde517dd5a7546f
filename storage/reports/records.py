"""Frozen dataclasses of the report feature, as storage/reports.py returns them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class ReportState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPRAISED = "appraised"


# States in which the unit may still change its report.
EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
# States in which the chair has a report in hand.
HANDED_IN_STATES = (ReportState.SUBMITTED, ReportState.APPRAISED)


@dataclass(frozen=True)
class Report:
    id: int
    block_id: int
    unit_id: int
    phase_id: int
    state: ReportState
    late: bool
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    submitted_by: int | None
    returned_at: datetime | None
    returned_by: int | None
    return_reason: str | None
    appraised_at: datetime | None
    appraised_by: int | None
    created_at: datetime
    updated_at: datetime
    # Raised by every change of the state and of the chair's points: what a screen showed.
    version: int = 0

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def handed_in(self) -> bool:
        return self.state in HANDED_IN_STATES


@dataclass(frozen=True)
class ReportValue:
    report_id: int
    criterion_id: int
    self_value: str | None
    self_points: Decimal | None
    updated_by: int | None
    updated_at: datetime | None
    appraised_points: Decimal | None
    appraisal_reason: str | None
    appraised_by: int | None
    appraised_at: datetime | None

    @property
    def filled(self) -> bool:
        return self.self_value is not None


@dataclass(frozen=True)
class Evidence:
    id: int
    report_id: int
    criterion_id: int
    kind: str
    tg_file_id: str
    tg_file_unique_id: str | None
    file_name: str | None
    mime: str | None
    size: int
    sha256: str
    stored_path: str
    added_by: int
    added_at: datetime


@dataclass(frozen=True)
class ReportData:
    """One unit's report in one phase with its values and evidence counts by criterion."""

    report: Report
    values: Mapping[int, ReportValue] = field(default_factory=dict)
    evidence_counts: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BlockReports:
    """Everything reported in a block (one phase or all), as one aggregate query returns it.

    `reports` is keyed by (unit_id, phase_id); a unit without a report is simply absent.
    `finished_phases` holds the ids of phases whose appraisal the chair declared done.
    """

    reports: Mapping[tuple[int, int], ReportData] = field(default_factory=dict)
    finished_phases: frozenset[int] = frozenset()

    def get(self, unit_id: int, phase_id: int) -> ReportData | None:
        return self.reports.get((unit_id, phase_id))
