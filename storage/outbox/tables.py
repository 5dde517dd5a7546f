"""Tables of the outbox sender and of chair announcements (migration 0004_outbox)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.tables import metadata
from storage.types import JSONText, UTCDateTime

__all__ = ["announcement_acks", "announcement_deliveries", "announcements", "metadata", "outbox"]

# One row per Telegram message to send. The worker claims a row (state "sending") in its own
# transaction before calling Telegram and records the message id right after, so a crash
# leaves at most the rows in flight (the sender's window) to send again.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch", String(120), nullable=False),
    # Producers name each message; enqueueing the same key again adds nothing.
    Column("dedupe_key", String(200), nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    # One logical message may need several Telegram messages (a long text, a photo whose
    # caption is too long): [{"kind": "text"|"photo"|"document", "text", "file"}, ...];
    # the inline keyboard goes on the last part, and parts_sent records the progress so a
    # crash between two parts resends neither.
    Column("parts", JSONText, nullable=False),
    Column("parts_sent", Integer, nullable=False),
    Column("reply_markup", JSONText),
    Column("tg_user_id", BigInteger),
    Column("block_id", ForeignKey("blocks.id", ondelete="SET NULL")),
    Column("state", String(16), nullable=False),  # pending|sending|sent|failed|unreachable
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("message_id", BigInteger),  # of the last part, the one with the keyboard
    Column("created_at", UTCDateTime, nullable=False),
    Column("claimed_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    Index("ix_outbox_state_id", "state", "id"),
    Index("ix_outbox_batch_state", "batch", "state"),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("author_tg_id", BigInteger, nullable=False),
    # The sending unit is not asked to confirm its own notice.
    Column("author_unit_id", ForeignKey("units.id", ondelete="SET NULL")),
    Column("kind", String(16), nullable=False),  # text | photo | document
    Column("body", Text),  # HTML (Telegram's entities rendered), text or caption
    Column("file_id", String(300)),
    Column("file_name", String(300)),
    Column("to_group", Boolean, nullable=False),
    Column("to_units", Boolean, nullable=False),
    # The unit ids chosen by the chair; None means every unit of the block.
    Column("unit_ids", JSONText),
    Column("ask_ack", Boolean, nullable=False),
    Column("ack_deadline", UTCDateTime),
    Column("deadline_done_at", UTCDateTime),
    Column("group_chat_id", BigInteger),
    # The chair's private message that shows "Đang gửi 120/300…", edited in place.
    Column("progress_chat_id", BigInteger),
    Column("progress_message_id", BigInteger),
    Column("nudges", Integer, nullable=False),
    Column("last_nudge_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_announcements_block_id", "block_id", "id"),
)

# Who a notice was addressed to: the group (unit_id NULL) and each representative; the
# outbox row with the same dedupe_key tells whether and when it was delivered.
announcement_deliveries = Table(
    "announcement_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "announcement_id",
        ForeignKey("announcements.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE")),
    Column("tg_user_id", BigInteger),
    Column("chat_id", BigInteger, nullable=False),
    Column("dedupe_key", String(200), nullable=False),
    UniqueConstraint("dedupe_key", name="uq_announcement_deliveries_dedupe_key"),
    Index("ix_announcement_deliveries_announcement", "announcement_id", "unit_id"),
)

# The first "received" press per unit counts; the unique constraint makes double taps and
# a second representative's press harmless.
announcement_acks = Table(
    "announcement_acks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "announcement_id",
        ForeignKey("announcements.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("tg_user_id", BigInteger, nullable=False),
    Column("full_name", String(300), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("announcement_id", "unit_id", name="uq_announcement_acks_unit"),
)
