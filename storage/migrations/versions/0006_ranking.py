"""Ranking: the chart cache (fingerprint -> Telegram file id) and automatic group posts.

Revision ID: 0006_ranking
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0006_ranking"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ranking_charts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_id", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("fingerprint", name="uq_ranking_charts_fingerprint"),
    )
    op.create_table(
        "ranking_posts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("done_at", UTCDateTime),
        sa.UniqueConstraint("block_id", "source", name="uq_ranking_posts_source"),
    )
    op.create_index("ix_ranking_posts_state", "ranking_posts", ["state", "id"])


def downgrade() -> None:
    op.drop_table("ranking_posts")
    op.drop_table("ranking_charts")
