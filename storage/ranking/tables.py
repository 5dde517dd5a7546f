"""Tables of the ranking feature (migration 0006_ranking): the chart cache and the
automatic posts to the group."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from storage.tables import metadata
from storage.types import UTCDateTime

__all__ = ["metadata", "ranking_charts", "ranking_posts"]

# A picture Telegram already has: the same chart data (its fingerprint) is sent again by
# file id instead of being drawn and uploaded again. file ids belong to the bot, not to
# a chat, so one row serves every chat.
ranking_charts = Table(
    "ranking_charts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # sha256 hex of the chart data
    Column("kind", String(16), nullable=False),  # ranking | progress
    Column("file_id", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("fingerprint", name="uq_ranking_charts_fingerprint"),
)

# One automatic post of the ranking to the group. A row is written in the same transaction
# that claims its cause (the deadline's reminder row, the chair's /review done), then the
# chart is drawn with no transaction open and the post is handed to the outbox, which marks
# the row "queued". A crash in between leaves the row "pending": the next start posts it.
ranking_posts = Table(
    "ranking_posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(64), nullable=False),  # a phase code, or "year"
    Column("reason", String(16), nullable=False),  # deadline | review
    # What caused it ("deadline:<reminder id>", "review:<phase id>"): posted once per cause.
    Column("source", String(120), nullable=False),
    Column("state", String(16), nullable=False),  # pending -> queued | skipped
    Column("fingerprint", String(64)),  # of the chart handed to the outbox
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    UniqueConstraint("block_id", "source", name="uq_ranking_posts_source"),
    Index("ix_ranking_posts_state", "state", "id"),
)
