"""Alembic environment: always runs on a connection handed in by storage.migrate."""

from __future__ import annotations

from alembic import context

import storage.schema  # noqa: F401  (registers every table on the metadata)
from storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `thidua-bot db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite can only ALTER through table copies
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
