"""Outbox sender and chair announcements: outbox, announcements, deliveries, acks.

Revision ID: 0004_outbox
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import JSONText, UTCDateTime

revision = "0004_outbox"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch", sa.String(120), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("parts", JSONText, nullable=False),
        sa.Column("parts_sent", sa.Integer, nullable=False),
        sa.Column("reply_markup", JSONText),
        sa.Column("tg_user_id", sa.BigInteger),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="SET NULL")),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("message_id", sa.BigInteger),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("claimed_at", UTCDateTime),
        sa.Column("finished_at", UTCDateTime),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_state_id", "outbox", ["state", "id"])
    op.create_index("ix_outbox_batch_state", "outbox", ["batch", "state"])
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("author_tg_id", sa.BigInteger, nullable=False),
        sa.Column("author_unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text),
        sa.Column("file_id", sa.String(300)),
        sa.Column("file_name", sa.String(300)),
        sa.Column("to_group", sa.Boolean, nullable=False),
        sa.Column("to_units", sa.Boolean, nullable=False),
        sa.Column("unit_ids", JSONText),
        sa.Column("ask_ack", sa.Boolean, nullable=False),
        sa.Column("ack_deadline", UTCDateTime),
        sa.Column("deadline_done_at", UTCDateTime),
        sa.Column("group_chat_id", sa.BigInteger),
        sa.Column("progress_chat_id", sa.BigInteger),
        sa.Column("progress_message_id", sa.BigInteger),
        sa.Column("nudges", sa.Integer, nullable=False),
        sa.Column("last_nudge_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_announcements_block_id", "announcements", ["block_id", "id"])
    op.create_table(
        "announcement_deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("announcement_id", sa.Integer,
                  sa.ForeignKey("announcements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE")),
        sa.Column("tg_user_id", sa.BigInteger),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.UniqueConstraint("dedupe_key", name="uq_announcement_deliveries_dedupe_key"),
    )
    op.create_index(
        "ix_announcement_deliveries_announcement",
        "announcement_deliveries",
        ["announcement_id", "unit_id"],
    )
    op.create_table(
        "announcement_acks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("announcement_id", sa.Integer,
                  sa.ForeignKey("announcements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("tg_user_id", sa.BigInteger, nullable=False),
        sa.Column("full_name", sa.String(300), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("announcement_id", "unit_id", name="uq_announcement_acks_unit"),
    )


def downgrade() -> None:
    for name in ("announcement_acks", "announcement_deliveries", "announcements", "outbox"):
        op.drop_table(name)
