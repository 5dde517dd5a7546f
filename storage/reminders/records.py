"""What the reminder repository returns and takes: plain dataclasses, no SQL, so a handler
may name them (the import contract allows `storage.<feature>.records`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReminderRow:
    """One planned (or fired) reminder or scheduled notice of a block."""

    id: int
    block_id: int
    kind: str
    subject: str
    offset: str
    deadline: datetime
    due_at: datetime
    state: str
    done_at: datetime | None
    recipients: int | None


@dataclass(frozen=True)
class Wanted:
    """A row the block's settings call for (bot.services.reminders.plan)."""

    kind: str
    subject: str
    offset: str
    deadline: datetime
    due_at: datetime


@dataclass(frozen=True)
class Snooze:
    """One person's «⏰ Nhắc lại sau» of one reminder (storage.reminders.snoozes)."""

    id: int
    block_id: int
    unit_id: int
    tg_user_id: int
    kind: str  # report | sign | returned
    subject_id: int  # a phase id, a covenant version id, a report id
    deadline: datetime | None
    due_at: datetime
    state: str
    created_at: datetime
    done_at: datetime | None
