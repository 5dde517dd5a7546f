"""Covenant: published versions, unit pledges, signatures.

Revision ID: 0002_covenant
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import JSONText, UTCDateTime

revision = "0002_covenant"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "covenant_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("content", JSONText, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("published_at", UTCDateTime, nullable=False),
        sa.Column("published_by_tg_id", sa.BigInteger),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.UniqueConstraint("block_id", "number", name="uq_covenant_versions_block_number"),
    )
    op.create_table(
        "unit_pledges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("slogan", sa.Text),
        sa.Column("targets", JSONText, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by_tg_id", sa.BigInteger),
        sa.UniqueConstraint("unit_id", name="uq_unit_pledges_unit_id"),
    )
    op.create_table(
        "covenant_signatures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("version_id", sa.Integer,
                  sa.ForeignKey("covenant_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("signer_tg_id", sa.BigInteger, nullable=False),
        sa.Column("signer_name", sa.String(300), nullable=False),
        sa.Column("signed_at", UTCDateTime, nullable=False),
        sa.Column("pledge", JSONText, nullable=False),
        sa.Column("signed_text", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("superseded_at", UTCDateTime),
        sa.UniqueConstraint("version_id", "unit_id",
                            name="uq_covenant_signatures_version_unit"),
    )
    op.create_index("ix_covenant_signatures_block", "covenant_signatures", ["block_id"])


def downgrade() -> None:
    op.drop_index("ix_covenant_signatures_block", table_name="covenant_signatures")
    for name in ("covenant_signatures", "unit_pledges", "covenant_versions"):
        op.drop_table(name)
