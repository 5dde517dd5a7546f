"""Handled updates: the update_ids the webhook has taken in, so a redelivery is skipped.

Revision ID: 0008_handled_updates
Revises: 0001_foundation
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0008_handled_updates"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handled_updates",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_handled_updates_received_at", "handled_updates", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_handled_updates_received_at", table_name="handled_updates")
    op.drop_table("handled_updates")
