"""Frozen dataclasses of the award vote, as storage.awards returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Round:
    id: int
    block_id: int
    year: int
    kind: str  # main | runoff
    parent_id: int | None
    award_code: str | None
    seats: int | None
    state: str  # draft | open | counting | closed | invalid
    rules: dict[str, Any]
    electorate: int
    opens: int
    closes_at: datetime | None
    opened_at: datetime | None
    opened_by: int | None
    closed_at: datetime | None
    closed_by: int | None
    reminded: list[str]
    result: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True)
class Candidate:
    id: int
    round_id: int
    award_code: str
    unit_id: int
    position: int
    rank: int | None
    total: Decimal | None
    provisional: bool
    active: bool
    added_by_chair: bool


@dataclass(frozen=True)
class Voted:
    """A unit of the electorate and whether (when, by whom) it has voted: never how."""

    round_id: int
    unit_id: int
    voted: bool
    cast_by: int | None
    cast_by_name: str | None
    cast_at: datetime | None


@dataclass(frozen=True)
class Ballot:
    """One ballot of a round: its tracker and choices, and nothing about who cast it."""

    tracker: str
    cast: bool
    choices: str
