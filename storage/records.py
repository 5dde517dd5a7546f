"""Frozen dataclasses the repositories return; nothing above storage sees a Row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Block:
    id: int
    code: str
    name: str
    province: str | None
    year: int
    theme: str | None
    timezone: str
    language: str
    settings: dict[str, Any]
    group_chat_id: int | None
    # Moves forward whenever setup changes the block or its units, phases or criteria:
    # storage.tree_cache keys cached trees by it. None for blocks built in memory.
    updated_at: datetime | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def vice_chair_rights(self) -> bool:
        return bool(self.settings.get("vice_chair_rights", True))


@dataclass(frozen=True)
class Unit:
    id: int
    block_id: int
    code: str
    name: str
    role: str
    slogan: str | None
    targets: dict[str, str]
    position: int
    active: bool
    short_name: str | None = None  # as the block file gives it (bot.blockfile.model.short_name_of)


@dataclass(frozen=True)
class Phase:
    id: int
    block_id: int
    code: str
    name: str
    start: date
    end: date
    theme: str | None
    report_due: datetime
    position: int


@dataclass(frozen=True)
class Criterion:
    id: int
    block_id: int
    code: str
    group_name: str | None
    title: str
    kind: str
    measure: str | None
    target: Decimal | None
    max_points: Decimal
    bonus: bool
    penalty: bool
    position: int


@dataclass(frozen=True)
class Member:
    id: int
    block_id: int
    unit_id: int
    tg_user_id: int
    full_name: str
    username: str | None
    language_code: str | None
    joined_at: datetime
    unreachable_since: datetime | None = None
    active: bool = True  # False once removed with `thidua-bot members --remove`


@dataclass(frozen=True)
class Invite:
    id: int
    block_id: int
    unit_id: int
    max_uses: int
    uses: int
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    block_id: int | None
    actor_tg_id: int | None
    actor_unit_id: int | None
    action: str
    subject: str | None
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class BlockTree:
    """A block with its active units, phases and criteria, in file order."""

    block: Block
    units: tuple[Unit, ...] = field(default_factory=tuple)
    phases: tuple[Phase, ...] = field(default_factory=tuple)
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    def unit(self, unit_id: int) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)
