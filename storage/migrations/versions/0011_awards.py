"""Award vote: rounds, candidates, who has voted, the ballots apart from them, drafts.

Revision ID: 0011_awards
Revises: 0001_foundation
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import DecimalText, JSONText, UTCDateTime

revision = "0011_awards"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _round_fk() -> sa.ForeignKey:
    return sa.ForeignKey("awards_rounds.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "awards_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.Integer, _round_fk()),
        sa.Column("award_code", sa.String(32)),
        sa.Column("seats", sa.Integer),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rules", JSONText, nullable=False),
        sa.Column("electorate", sa.Integer, nullable=False),
        sa.Column("opens", sa.Integer, nullable=False),
        sa.Column("closes_at", UTCDateTime),
        sa.Column("opened_at", UTCDateTime),
        sa.Column("opened_by", sa.BigInteger),
        sa.Column("closed_at", UTCDateTime),
        sa.Column("closed_by", sa.BigInteger),
        sa.Column("reminded", JSONText, nullable=False),
        sa.Column("result", JSONText),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_awards_rounds_block", "awards_rounds", ["block_id", "state"])
    op.create_table(
        "awards_candidates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, _round_fk(), nullable=False),
        sa.Column("award_code", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("rank", sa.Integer),
        sa.Column("total", DecimalText),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("added_by_chair", sa.Boolean, nullable=False),
        sa.UniqueConstraint("round_id", "award_code", "unit_id",
                            name="uq_awards_candidates_unit"),
    )
    op.create_table(
        "awards_voted",
        sa.Column("round_id", sa.Integer, _round_fk(), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("voted", sa.Boolean, nullable=False),
        sa.Column("cast_by", sa.BigInteger),
        sa.Column("cast_by_name", sa.String(300)),
        sa.Column("cast_at", UTCDateTime),
    )
    # No rowid: the ballots are stored in the order of their random trackers only.
    op.create_table(
        "awards_ballots",
        sa.Column("round_id", sa.Integer, _round_fk(), primary_key=True),
        sa.Column("tracker", sa.String(8), primary_key=True),
        sa.Column("cast", sa.Boolean, nullable=False),
        sa.Column("choices", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "awards_drafts",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("round_id", sa.Integer, _round_fk(), nullable=False),
        sa.Column("choices", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("awards_drafts")
    op.drop_table("awards_ballots")
    op.drop_table("awards_voted")
    op.drop_table("awards_candidates")
    op.drop_index("ix_awards_rounds_block", table_name="awards_rounds")
    op.drop_table("awards_rounds")
