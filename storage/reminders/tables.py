"""Planned reminders and scheduled notices (migration 0005_reminders).

The database, not the scheduler's memory, is the source of truth: every planned reminder
is a row, and a restart re-reads the rows and loses nothing.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from storage.tables import metadata
from storage.types import UTCDateTime

__all__ = ["metadata", "reminder_snoozes", "reminders"]

reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    # report | sign | report-overdue | sign-overdue | phase-start | phase-end | ack
    Column("kind", String(24), nullable=False),
    Column("subject", String(64), nullable=False),  # a phase code, "covenant", an id
    Column("offset", String(32), nullable=False),  # "7d", "2h", "manual-<n>", "" for events
    Column("deadline", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    # planned -> sent | merged (a later missed offset fired instead) | dropped | cancelled
    Column("state", String(16), nullable=False),
    Column("done_at", UTCDateTime),
    Column("recipients", Integer),  # how many units it went to
    UniqueConstraint("block_id", "kind", "subject", "offset", name="uq_reminders_key"),
    Index("ix_reminders_state_due", "state", "due_at"),
)

# «⏰ Nhắc lại sau» (migration 0009_reminder_snooze): one person asked to be reminded of one
# thing again later. The row is the plan: a restart finds it, and the same press again only
# moves it. Sent once (state "sent"), or dropped when nothing is owed any more.
reminder_snoozes = Table(
    "reminder_snoozes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("tg_user_id", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),  # report | sign | returned
    # a phase id (report), a covenant version id (sign), a report id (returned)
    Column("subject_id", BigInteger, nullable=False),
    Column("deadline", UTCDateTime),  # the reminder never comes after it
    Column("due_at", UTCDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # planned -> sent | dropped
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    UniqueConstraint("block_id", "tg_user_id", "kind", "subject_id",
                     name="uq_reminder_snoozes_key"),
    Index("ix_reminder_snoozes_state_due", "state", "due_at"),
)
