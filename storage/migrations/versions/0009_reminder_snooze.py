"""Nudges and group posts (issue 18): «⏰ Nhắc lại sau» snoozes, the chair's digest of
registrations and submissions, the group's pinned progress message per phase, and the
numbers of the last ranking posted.

Revision ID: 0009_reminder_snooze
Revises: 0005_reminders
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import JSONText, UTCDateTime

revision = "0009_reminder_snooze"
down_revision = "0005_reminders"
branch_labels = None
depends_on = None


def _block() -> sa.Column:
    return sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                     nullable=False)


def _unit() -> sa.Column:
    return sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "reminder_snoozes",
        sa.Column("id", sa.Integer, primary_key=True),
        _block(),
        _unit(),
        sa.Column("tg_user_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.BigInteger, nullable=False),
        sa.Column("deadline", UTCDateTime),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("done_at", UTCDateTime),
        sa.UniqueConstraint("block_id", "tg_user_id", "kind", "subject_id",
                            name="uq_reminder_snoozes_key"),
    )
    op.create_index("ix_reminder_snoozes_state_due", "reminder_snoozes", ["state", "due_at"])
    op.create_table(
        "chair_digests",
        sa.Column("id", sa.Integer, primary_key=True),
        _block(),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime),
        sa.Column("items", sa.Integer),
    )
    op.create_index("ix_chair_digests_state_due", "chair_digests", ["state", "due_at"])
    op.create_index("ix_chair_digests_block", "chair_digests", ["block_id", "state"])
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer, primary_key=True),
        _block(),
        sa.Column("digest_id", sa.Integer,
                  sa.ForeignKey("chair_digests.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(16), nullable=False),
        _unit(),
        sa.Column("tg_user_id", sa.BigInteger),
        sa.Column("subject_id", sa.BigInteger),
        sa.Column("details", JSONText, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_digest_items_waiting", "digest_items", ["block_id", "digest_id"])
    op.create_table(
        "progress_posts",
        sa.Column("id", sa.Integer, primary_key=True),
        _block(),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("message_id", sa.BigInteger),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("shown", sa.Integer, nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime),
        sa.UniqueConstraint("block_id", "subject", "chat_id", name="uq_progress_posts_key"),
    )
    op.create_table(
        "ranking_shown",
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("numbers", sa.String(64), nullable=False),
        sa.Column("final", sa.Boolean, nullable=False),
        sa.Column("posted_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ranking_shown")
    op.drop_table("progress_posts")
    op.drop_table("digest_items")
    op.drop_table("chair_digests")
    op.drop_table("reminder_snoozes")
