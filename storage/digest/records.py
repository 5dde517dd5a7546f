"""What the digest repository returns (plain dataclasses a handler may name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DigestItem:
    id: int
    block_id: int
    digest_id: int | None
    kind: str  # registration | submission
    unit_id: int
    tg_user_id: int | None
    subject_id: int | None
    details: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class Digest:
    id: int
    block_id: int
    due_at: datetime
    state: str  # planned | sent
    created_at: datetime
    sent_at: datetime | None
    items: int | None
