"""Tables of the report feature (migration 0003_reports): reports, their values, evidence.

A report is one unit's answer for one phase. Values are kept per criterion with both the
unit's self-assessment and the chair's appraisal side by side, so ranking and exports can
show either and the audit log holds the history of both.
"""

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
    text,
)

from storage.tables import metadata
from storage.types import DecimalText, UTCDateTime

__all__ = ["evidence", "metadata", "phase_reviews", "report_values", "reports"]

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("phase_id", ForeignKey("phases.id", ondelete="CASCADE"), nullable=False),
    # draft -> submitted -> appraised; submitted/appraised -> returned -> submitted ...
    Column("state", String(16), nullable=False),
    # Decided at the first submission only: a report the chair returns after the deadline
    # is not late when corrected.
    Column("late", Boolean, nullable=False, default=False),
    Column("first_submitted_at", UTCDateTime),
    Column("submitted_at", UTCDateTime),
    Column("submitted_by", BigInteger),
    Column("returned_at", UTCDateTime),
    Column("returned_by", BigInteger),
    Column("return_reason", Text),
    Column("appraised_at", UTCDateTime),
    Column("appraised_by", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Raised by every change of the state and of the chair's points (migration
    # 0007_report_versions): the chair's buttons carry the version they were shown, and a
    # decision is made only on that version (compare-and-set), never on a stale screen.
    Column("version", Integer, nullable=False, default=0, server_default=text("0")),
    UniqueConstraint("unit_id", "phase_id", name="uq_reports_unit_phase"),
    Index("ix_reports_block_phase", "block_id", "phase_id"),
)

report_values = Table(
    "report_values",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("criterion_id", ForeignKey("criteria.id", ondelete="CASCADE"), nullable=False),
    # Canonical text: a decimal for score/number/percent, "yes"/"no", or the narrative.
    Column("self_value", Text),
    Column("self_points", DecimalText),
    Column("updated_by", BigInteger),
    Column("updated_at", UTCDateTime),
    Column("appraised_points", DecimalText),
    Column("appraisal_reason", Text),
    Column("appraised_by", BigInteger),
    Column("appraised_at", UTCDateTime),
    UniqueConstraint("report_id", "criterion_id", name="uq_report_values_report_criterion"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("criterion_id", ForeignKey("criteria.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # photo | document
    Column("tg_file_id", String(256), nullable=False),
    Column("tg_file_unique_id", String(128)),
    Column("file_name", String(300)),
    Column("mime", String(128)),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    # Relative to EVIDENCE_DIR, so the folder can move without rewriting rows.
    Column("stored_path", Text, nullable=False),
    Column("added_by", BigInteger, nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Index("ix_evidence_report", "report_id", "criterion_id"),
)

# The chair's "/review done" per phase: from then on every unit's score in that phase is
# final (not provisional), including the zero of a unit that never reported.
phase_reviews = Table(
    "phase_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("phase_id", ForeignKey("phases.id", ondelete="CASCADE"), nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("finished_by", BigInteger),
    UniqueConstraint("phase_id", name="uq_phase_reviews_phase_id"),
)
