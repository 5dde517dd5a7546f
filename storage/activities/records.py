"""Frozen dataclasses of joint activities, as storage.activities returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

YES = "yes"
NO = "no"
OPEN = "open"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Activity:
    id: int
    block_id: int
    code: str
    source: str  # file | chat
    title: str
    kind: str
    place: str | None
    starts_at: datetime
    ends_at: datetime | None
    answer_by: datetime
    criterion_code: str | None
    absence_penalty: Decimal | None
    state: str
    announced_at: datetime | None
    attendance_at: datetime | None
    attendance_by: int | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime

    @property
    def open(self) -> bool:
        return self.state == OPEN

    def answers_open(self, now: datetime) -> bool:
        return self.open and now < self.answer_by


@dataclass(frozen=True)
class Answer:
    id: int
    activity_id: int
    unit_id: int
    answer: str  # yes | no
    people: int | None
    names: str | None
    reason: str | None
    revision: int
    answered_by: int
    answered_name: str
    answered_at: datetime

    @property
    def coming(self) -> bool:
        return self.answer == YES


@dataclass(frozen=True)
class Attendance:
    activity_id: int
    unit_id: int
    attended: bool
    source: str  # chair | checkin
    marked_by: int | None
    marked_at: datetime


@dataclass(frozen=True)
class Checkin:
    id: int
    activity_id: int
    unit_id: int
    tg_file_id: str
    tg_file_unique_id: str | None
    size: int
    sha256: str
    stored_path: str
    added_by: int
    added_at: datetime


@dataclass(frozen=True)
class ActivityReminder:
    id: int
    activity_id: int
    kind: str
    offset: str
    due_at: datetime
    state: str
    done_at: datetime | None
    recipients: int | None


@dataclass(frozen=True)
class Fill:
    unit_id: int
    phase_id: int
    criterion_id: int
    value: str
    activity_ids: list[int]
    filled_at: datetime


@dataclass(frozen=True)
class Draft:
    tg_user_id: int
    block_id: int
    step: str
    data: dict[str, Any]
    updated_at: datetime
