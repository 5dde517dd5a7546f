"""What the block's group is shown (migration 0009_reminder_snooze): the pinned progress
message of each phase, edited in place, and the numbers of the last ranking posted, so the
same ranking is never posted twice."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.tables import metadata
from storage.types import UTCDateTime

__all__ = ["metadata", "progress_posts", "ranking_shown"]

# The group's progress message of a phase ("covenant" before the first phase): posted
# through the outbox, then edited through it. `text` is what it should show now and
# `version` counts its changes; `shown` is the version the message (or the edit queued
# for it) carries, so a change made before the post was delivered is edited in after.
progress_posts = Table(
    "progress_posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(64), nullable=False),  # a phase code, or "covenant"
    Column("chat_id", BigInteger, nullable=False),
    Column("message_id", BigInteger),  # once the outbox delivered it
    Column("text", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("shown", Integer, nullable=False),
    Column("pinned", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),  # a later phase's message took over
    UniqueConstraint("block_id", "subject", "chat_id", name="uq_progress_posts_key"),
)

# The numbers of the last ranking the group got for a subject (a phase code, "year"): a
# post with the same numbers is skipped; after the year's final one, none follows.
ranking_shown = Table(
    "ranking_shown",
    metadata,
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("numbers", String(64), nullable=False),  # sha256 of ranks, units and totals
    Column("final", Boolean, nullable=False),  # every score shown was appraised
    Column("posted_at", UTCDateTime, nullable=False),
)
