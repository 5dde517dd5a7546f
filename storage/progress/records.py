"""What the progress repository returns (plain dataclasses a handler may name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ProgressPost:
    id: int
    block_id: int
    subject: str  # a phase code, or "covenant"
    chat_id: int
    message_id: int | None
    text: str
    version: int
    shown: int
    pinned: bool
    created_at: datetime
    closed_at: datetime | None
