"""Foundation tables (migration 0001). Feature tables live in their own modules on `metadata`."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.types import DecimalText, JSONText, UTCDateTime

# Named constraints so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

blocks = Table(
    "blocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("province", String(200)),
    Column("year", Integer, nullable=False),
    Column("theme", Text),
    Column("timezone", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    # Rules from the block file that no query filters on: vice_chair_rights, late_reports,
    # phase_weights, post_ranking, reminders, covenant. One JSON column keeps setup simple.
    Column("settings", JSONText, nullable=False),
    Column("group_chat_id", BigInteger, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("name", String(300), nullable=False),
    Column("short_name", String(64)),  # block file `short_name`; NULL: made from the name
    Column("role", String(16), nullable=False),
    Column("slogan", Text),
    Column("targets", JSONText, nullable=False),
    Column("position", Integer, nullable=False),
    # A unit dropped from the block file is deactivated, never deleted: its history stays.
    Column("active", Boolean, nullable=False, default=True),
    UniqueConstraint("block_id", "code", name="uq_units_block_code"),
)

phases = Table(
    "phases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("theme", Text),
    Column("report_due", UTCDateTime, nullable=False),
    Column("position", Integer, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    UniqueConstraint("block_id", "code", name="uq_phases_block_code"),
)

criteria = Table(
    "criteria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("group_name", String(200)),
    Column("title", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("measure", String(50)),
    Column("target", DecimalText),
    Column("max_points", DecimalText, nullable=False),
    Column("bonus", Boolean, nullable=False, default=False),
    Column("penalty", Boolean, nullable=False, default=False),
    Column("position", Integer, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    UniqueConstraint("block_id", "code", name="uq_criteria_block_code"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("tg_user_id", BigInteger, nullable=False),
    Column("full_name", String(300), nullable=False),
    Column("username", String(64)),
    Column("language_code", String(16)),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    # Set when Telegram answers 403 (blocked, deactivated); cleared when they write again.
    Column("unreachable_since", UTCDateTime),
    UniqueConstraint("block_id", "tg_user_id", name="uq_members_block_user"),
    Index("ix_members_user", "tg_user_id"),
)

invites = Table(
    "invites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    # Only the SHA-256 of the token is kept: a leaked database cannot be used to join a unit.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("max_uses", Integer, nullable=False),
    Column("uses", Integer, nullable=False, default=0),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("block_id", ForeignKey("blocks.id", ondelete="SET NULL")),
    Column("actor_tg_id", BigInteger),
    Column("actor_unit_id", ForeignKey("units.id", ondelete="SET NULL")),
    Column("action", String(64), nullable=False),
    Column("subject", String(200)),
    Column("before", JSONText),
    Column("after", JSONText),
    Index("ix_audit_block_at", "block_id", "at"),
)

user_prefs = Table(
    "user_prefs",
    metadata,
    Column("tg_user_id", BigInteger, primary_key=True),
    Column("language", String(8)),
    # For a user who represents units in several blocks: the block private commands act on.
    Column("current_block_id", ForeignKey("blocks.id", ondelete="SET NULL")),
)
