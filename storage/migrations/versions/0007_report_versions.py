"""Reports: a version counter, so a decision taken on a stale screen is refused.

Every change of a report's state (submitted, returned, appraised) and every change of the
chair's points raises `version` by one. The chair's buttons and pending questions carry
the version they were shown, and the change is made only while it is still that version
(compare-and-set), so a report accepted by one chair cannot be returned a moment later by
another chair who was looking at the report as it was before.

Revision ID: 0007_report_versions
Revises: 0003_reports
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_report_versions"
down_revision = "0003_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(
            sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("version")
