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
