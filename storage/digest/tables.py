"""The chair's digest (migration 0009_reminder_snooze): registrations and submissions wait
here as items until the block's next digest takes them, so a restart loses none and a
digest is sent once."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table

from storage.tables import metadata
from storage.types import JSONText, UTCDateTime

__all__ = ["chair_digests", "digest_items", "metadata"]

# One digest of a block: planned for a moment (the end of the quiet hour, 17:00), then sent
# with every item that waited for it.
chair_digests = Table(
    "chair_digests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # planned -> sent
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("items", Integer),  # how many items it carried (0: it reached nobody)
    Index("ix_chair_digests_state_due", "state", "due_at"),
    Index("ix_chair_digests_block", "block_id", "state"),
)

# One thing the chair should hear of; digest_id is set when a digest carried it.
digest_items = Table(
    "digest_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("digest_id", ForeignKey("chair_digests.id", ondelete="SET NULL")),
    Column("kind", String(16), nullable=False),  # registration | submission
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("tg_user_id", BigInteger),  # the new representative, the submitter
    Column("subject_id", BigInteger),  # submission: the report's id
    Column("details", JSONText, nullable=False),  # what the line says (name, phase, late…)
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_digest_items_waiting", "block_id", "digest_id"),
)
