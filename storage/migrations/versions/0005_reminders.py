"""Reminders: planned reminder rounds and scheduled notices.

Revision ID: 0005_reminders
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0005_reminders"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("offset", sa.String(32), nullable=False),
        sa.Column("deadline", UTCDateTime, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done_at", UTCDateTime),
        sa.Column("recipients", sa.Integer),
        sa.UniqueConstraint("block_id", "kind", "subject", "offset", name="uq_reminders_key"),
    )
    op.create_index("ix_reminders_state_due", "reminders", ["state", "due_at"])


def downgrade() -> None:
    op.drop_table("reminders")
