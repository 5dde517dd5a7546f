"""Tables of joint activities (migration 0012_activities): the activities, each unit's
answer, attendance and check-ins, the planned reminders, the report values attendance
filled, and the chair's /activity new draft.

Mirrored exactly by the migration (names of constraints and indexes too).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.tables import metadata
from storage.types import DecimalText, JSONText, UTCDateTime

__all__ = [
    "activities", "activity_answers", "activity_attendance", "activity_checkins",
    "activity_drafts", "activity_fills", "activity_reminders", "metadata",
]  # fmt: skip

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("source", String(8), nullable=False),  # file | chat (/activity new)
    Column("title", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("place", Text),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime),
    Column("answer_by", UTCDateTime, nullable=False),
    Column("criterion_code", String(32)),
    Column("absence_penalty", DecimalText),
    # open -> cancelled (dropped from the block file); answers and attendance stay.
    Column("state", String(16), nullable=False),
    # When the card and the invitations were queued (None: not yet, e.g. no group bound).
    Column("announced_at", UTCDateTime),
    # When the chair saved the attendance list: from then on the activity counts in the
    # scoring table.
    Column("attendance_at", UTCDateTime),
    Column("attendance_by", BigInteger),
    Column("created_by", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("block_id", "code", name="uq_activities_block_code"),
)

# One answer per unit: the first representative's, changed by any of them until answer_by.
activity_answers = Table(
    "activity_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("answer", String(8), nullable=False),  # yes | no
    Column("people", Integer),
    Column("names", Text),
    Column("reason", Text),
    # Raised by every change: a copy's buttons carry the revision they showed, so of two
    # representatives answering at once only one answer is kept (compare-and-set).
    Column("revision", Integer, nullable=False),
    Column("answered_by", BigInteger, nullable=False),
    Column("answered_name", String(300), nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    UniqueConstraint("activity_id", "unit_id", name="uq_activity_answers_activity_unit"),
)

activity_attendance = Table(
    "activity_attendance",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("attended", Boolean, nullable=False),
    Column("source", String(16), nullable=False),  # chair | checkin
    Column("marked_by", BigInteger),
    Column("marked_at", UTCDateTime, nullable=False),
    UniqueConstraint("activity_id", "unit_id", name="uq_activity_attendance_activity_unit"),
)

# A representative's photo on the day, kept as evidence like a report's (bytes under
# EVIDENCE_DIR with their SHA-256).
activity_checkins = Table(
    "activity_checkins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("tg_file_id", String(256), nullable=False),
    Column("tg_file_unique_id", String(128)),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("stored_path", Text, nullable=False),
    Column("added_by", BigInteger, nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Index("ix_activity_checkins_activity", "activity_id", "unit_id"),
)

# Planned reminders of an activity: the database, not the scheduler, holds the plan.
activity_reminders = Table(
    "activity_reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # announce | answer | closed | coming
    Column("offset", String(16), nullable=False),  # "2d", "2h", "1d", "" for events
    Column("due_at", UTCDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # planned -> sent | dropped
    Column("done_at", UTCDateTime),
    Column("recipients", Integer),
    UniqueConstraint("activity_id", "kind", "offset", name="uq_activity_reminders_key"),
    Index("ix_activity_reminders_state_due", "state", "due_at"),
)

# A report value attendance wrote: the unit sees it marked and cannot overwrite it.
activity_fills = Table(
    "activity_fills",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("phase_id", ForeignKey("phases.id", ondelete="CASCADE"), nullable=False),
    Column("criterion_id", ForeignKey("criteria.id", ondelete="CASCADE"), nullable=False),
    Column("value", Text, nullable=False),
    Column("activity_ids", JSONText, nullable=False),  # the activities it counts
    Column("filled_at", UTCDateTime, nullable=False),
    UniqueConstraint("unit_id", "phase_id", "criterion_id",
                     name="uq_activity_fills_unit_phase_criterion"),
)

# The chair's /activity new wizard, one per person: a restart continues where it was.
activity_drafts = Table(
    "activity_drafts",
    metadata,
    Column("tg_user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("step", String(16), nullable=False),
    Column("data", JSONText, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
