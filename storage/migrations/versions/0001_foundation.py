"""Foundation: blocks, units, phases, criteria, members, invites, audit log.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import DecimalText, JSONText, UTCDateTime

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("province", sa.String(200)),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("theme", sa.Text),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("settings", JSONText, nullable=False),
        sa.Column("group_chat_id", sa.BigInteger),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("code", name="uq_blocks_code"),
        sa.UniqueConstraint("group_chat_id", name="uq_blocks_group_chat_id"),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("slogan", sa.Text),
        sa.Column("targets", JSONText, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.UniqueConstraint("block_id", "code", name="uq_units_block_code"),
    )
    op.create_table(
        "phases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("theme", sa.Text),
        sa.Column("report_due", UTCDateTime, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.UniqueConstraint("block_id", "code", name="uq_phases_block_code"),
    )
    op.create_table(
        "criteria",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("group_name", sa.String(200)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("measure", sa.String(50)),
        sa.Column("target", DecimalText),
        sa.Column("max_points", DecimalText, nullable=False),
        sa.Column("bonus", sa.Boolean, nullable=False),
        sa.Column("penalty", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.UniqueConstraint("block_id", "code", name="uq_criteria_block_code"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("tg_user_id", sa.BigInteger, nullable=False),
        sa.Column("full_name", sa.String(300), nullable=False),
        sa.Column("username", sa.String(64)),
        sa.Column("language_code", sa.String(16)),
        sa.Column("joined_at", UTCDateTime, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("unreachable_since", UTCDateTime),
        sa.UniqueConstraint("block_id", "tg_user_id", name="uq_members_block_user"),
    )
    op.create_index("ix_members_user", "members", ["tg_user_id"])
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("max_uses", sa.Integer, nullable=False),
        sa.Column("uses", sa.Integer, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_invites_token_hash"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="SET NULL")),
        sa.Column("actor_tg_id", sa.BigInteger),
        sa.Column("actor_unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="SET NULL")),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200)),
        sa.Column("before", JSONText),
        sa.Column("after", JSONText),
    )
    op.create_index("ix_audit_block_at", "audit_log", ["block_id", "at"])
    op.create_table(
        "user_prefs",
        sa.Column("tg_user_id", sa.BigInteger, primary_key=True),
        sa.Column("language", sa.String(8)),
        sa.Column("current_block_id", sa.Integer, sa.ForeignKey("blocks.id", ondelete="SET NULL")),
    )


def downgrade() -> None:
    for name in (
        "user_prefs",
        "audit_log",
        "invites",
        "members",
        "criteria",
        "phases",
        "units",
        "blocks",
    ):
        op.drop_table(name)
