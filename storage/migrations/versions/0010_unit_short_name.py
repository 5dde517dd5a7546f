"""Units: the short name a unit goes by on charts and buttons (block file `short_name`).

NULL when the block file gives none: then the name itself, or the name cut with "…",
is shown (bot.blockfile.model.short_name_of). Adding a nullable column is a plain ALTER
TABLE on SQLite too, so batch mode does not rebuild `units` (whose rows reports,
members and signatures point at).

Revision ID: 0010_unit_short_name
Revises: 0001_foundation
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_unit_short_name"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("short_name", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("short_name")
