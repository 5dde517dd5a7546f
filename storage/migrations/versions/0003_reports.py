"""Reports: one per unit and phase, values per criterion, evidence files, phase reviews.

Revision ID: 0003_reports
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import DecimalText, UTCDateTime

revision = "0003_reports"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _fk(target: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, _fk("blocks.id"), nullable=False),
        sa.Column("unit_id", sa.Integer, _fk("units.id"), nullable=False),
        sa.Column("phase_id", sa.Integer, _fk("phases.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("first_submitted_at", UTCDateTime),
        sa.Column("submitted_at", UTCDateTime),
        sa.Column("submitted_by", sa.BigInteger),
        sa.Column("returned_at", UTCDateTime),
        sa.Column("returned_by", sa.BigInteger),
        sa.Column("return_reason", sa.Text),
        sa.Column("appraised_at", UTCDateTime),
        sa.Column("appraised_by", sa.BigInteger),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("unit_id", "phase_id", name="uq_reports_unit_phase"),
    )
    op.create_index("ix_reports_block_phase", "reports", ["block_id", "phase_id"])
    op.create_table(
        "report_values",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, _fk("reports.id"), nullable=False),
        sa.Column("criterion_id", sa.Integer, _fk("criteria.id"), nullable=False),
        sa.Column("self_value", sa.Text),
        sa.Column("self_points", DecimalText),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", UTCDateTime),
        sa.Column("appraised_points", DecimalText),
        sa.Column("appraisal_reason", sa.Text),
        sa.Column("appraised_by", sa.BigInteger),
        sa.Column("appraised_at", UTCDateTime),
        sa.UniqueConstraint(
            "report_id", "criterion_id", name="uq_report_values_report_criterion"
        ),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, _fk("reports.id"), nullable=False),
        sa.Column("criterion_id", sa.Integer, _fk("criteria.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("tg_file_id", sa.String(256), nullable=False),
        sa.Column("tg_file_unique_id", sa.String(128)),
        sa.Column("file_name", sa.String(300)),
        sa.Column("mime", sa.String(128)),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_path", sa.Text, nullable=False),
        sa.Column("added_by", sa.BigInteger, nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_evidence_report", "evidence", ["report_id", "criterion_id"])
    op.create_table(
        "phase_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("block_id", sa.Integer, _fk("blocks.id"), nullable=False),
        sa.Column("phase_id", sa.Integer, _fk("phases.id"), nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=False),
        sa.Column("finished_by", sa.BigInteger),
        sa.UniqueConstraint("phase_id", name="uq_phase_reviews_phase_id"),
    )


def downgrade() -> None:
    op.drop_table("phase_reviews")
    op.drop_index("ix_evidence_report", table_name="evidence")
    op.drop_table("evidence")
    op.drop_table("report_values")
    op.drop_index("ix_reports_block_phase", table_name="reports")
    op.drop_table("reports")
