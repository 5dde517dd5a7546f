"""Frozen dataclasses of the outbox, as storage.outbox returns them: what a row is and where
a queued message stands. Apart from the queries so that handlers may name them (a delivery's
state in a notice's table) without importing a repository."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed: a crash here means "send again" (the in-flight duplicate)
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"  # 403: blocked, kicked, never started the bot

    @property
    def final(self) -> bool:
        return self in (State.SENT, State.FAILED, State.UNREACHABLE)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    batch: str
    dedupe_key: str
    chat_id: int
    parts: list[dict[str, Any]]
    parts_sent: int
    reply_markup: dict[str, Any] | None
    tg_user_id: int | None
    block_id: int | None
    state: State
    attempts: int
    last_error: str | None
    message_id: int | None
    created_at: datetime
    claimed_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class DeliveryRow:
    """Where one queued message stands, without its content (delivery_rows)."""

    dedupe_key: str
    chat_id: int
    state: State
    message_id: int | None
    last_error: str | None
    finished_at: datetime | None
