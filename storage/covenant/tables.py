"""Tables of the covenant feature: published versions, unit pledges, signatures.

Mirrored exactly by migration 0002_covenant (names of constraints and indexes too).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

# One row per published text of a block's covenant. A version is never edited: when the
# chair changes the text a new row is added, so every signature keeps pointing at what
# was really signed.
covenant_versions = Table(
    "covenant_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    # Language of the fixed labels in the canonical text (see covenant_hash).
    Column("language", String(8), nullable=False),
    Column("title", Text, nullable=False),
    # title, preamble, commitments as published (for display and for the diff shown
    # to the group when the text changes)
    Column("content", JSONText, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("published_by_tg_id", BigInteger),
    # "publish" (chair, /covenant publish) or "setup" (block file changed)
    Column("reason", String(16), nullable=False),
    UniqueConstraint("block_id", "number", name="uq_covenant_versions_block_number"),
)

# A unit's own slogan and targets (đăng ký chủ đề, chỉ tiêu). Kept apart from `units`,
# which `thidua-bot setup` rewrites from the block file: what the unit registered in the
# bot must survive a re-run of setup. A missing row or value falls back to the block file.
unit_pledges = Table(
    "unit_pledges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("slogan", Text),
    # {criterion code: decimal as text}
    Column("targets", JSONText, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by_tg_id", BigInteger),
    UniqueConstraint("unit_id", name="uq_unit_pledges_unit_id"),
)

covenant_signatures = Table(
    "covenant_signatures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("version_id", ForeignKey("covenant_versions.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("signer_tg_id", BigInteger, nullable=False),
    Column("signer_name", String(300), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    # The pledge as signed: {unit_code, unit_name, slogan, targets: [{code, title, kind,
    # measure, value}]}, so the signed text can be rebuilt without today's block file.
    Column("pledge", JSONText, nullable=False),
    # The exact text signed and its SHA-256: `covenant verify` recomputes one from the other.
    Column("signed_text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    # Set when a newer version is published: the record stays, it just no longer counts.
    Column("superseded_at", UTCDateTime),
    # One signature per unit per version, whatever races the buttons produce.
    UniqueConstraint("version_id", "unit_id", name="uq_covenant_signatures_version_unit"),
    Index("ix_covenant_signatures_block", "block_id"),
)
