"""Joint activities: activities, answers per unit, attendance, check-ins, reminders, the
report values attendance filled, and the chair's draft.

Revision ID: 0012_activities
Revises: 0001_foundation
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import DecimalText, JSONText, UTCDateTime

revision = "0012_activities"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _fk(table: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, _fk("blocks"), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("starts_at", UTCDateTime, nullable=False),
        sa.Column("ends_at", UTCDateTime),
        sa.Column("answer_by", UTCDateTime, nullable=False),
        sa.Column("criterion_code", sa.String(32)),
        sa.Column("absence_penalty", DecimalText),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("announced_at", UTCDateTime),
        sa.Column("attendance_at", UTCDateTime),
        sa.Column("attendance_by", sa.BigInteger),
        sa.Column("created_by", sa.BigInteger),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("block_id", "code", name="uq_activities_block_code"),
    )
    op.create_table(
        "activity_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("activity_id", sa.Integer, _fk("activities"), nullable=False),
        sa.Column("unit_id", sa.Integer, _fk("units"), nullable=False),
        sa.Column("answer", sa.String(8), nullable=False),
        sa.Column("people", sa.Integer),
        sa.Column("names", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("answered_by", sa.BigInteger, nullable=False),
        sa.Column("answered_name", sa.String(300), nullable=False),
        sa.Column("answered_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("activity_id", "unit_id", name="uq_activity_answers_activity_unit"),
    )
    op.create_table(
        "activity_attendance",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("activity_id", sa.Integer, _fk("activities"), nullable=False),
        sa.Column("unit_id", sa.Integer, _fk("units"), nullable=False),
        sa.Column("attended", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("marked_by", sa.BigInteger),
        sa.Column("marked_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("activity_id", "unit_id",
                            name="uq_activity_attendance_activity_unit"),
    )
    op.create_table(
        "activity_checkins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("activity_id", sa.Integer, _fk("activities"), nullable=False),
        sa.Column("unit_id", sa.Integer, _fk("units"), nullable=False),
        sa.Column("tg_file_id", sa.String(256), nullable=False),
        sa.Column("tg_file_unique_id", sa.String(128)),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_path", sa.Text, nullable=False),
        sa.Column("added_by", sa.BigInteger, nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_activity_checkins_activity", "activity_checkins",
                    ["activity_id", "unit_id"])
    op.create_table(
        "activity_reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("activity_id", sa.Integer, _fk("activities"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("offset", sa.String(16), nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done_at", UTCDateTime),
        sa.Column("recipients", sa.Integer),
        sa.UniqueConstraint("activity_id", "kind", "offset", name="uq_activity_reminders_key"),
    )
    op.create_index("ix_activity_reminders_state_due", "activity_reminders",
                    ["state", "due_at"])
    op.create_table(
        "activity_fills",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, _fk("units"), nullable=False),
        sa.Column("phase_id", sa.Integer, _fk("phases"), nullable=False),
        sa.Column("criterion_id", sa.Integer, _fk("criteria"), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("activity_ids", JSONText, nullable=False),
        sa.Column("filled_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("unit_id", "phase_id", "criterion_id",
                            name="uq_activity_fills_unit_phase_criterion"),
    )
    op.create_table(
        "activity_drafts",
        sa.Column("tg_user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("block_id", sa.Integer, _fk("blocks"), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("data", JSONText, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("activity_drafts", "activity_fills", "activity_reminders",
                  "activity_checkins", "activity_attendance", "activity_answers",
                  "activities"):
        op.drop_table(table)
