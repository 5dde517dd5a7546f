"""Import every table module so the shared metadata knows the whole schema."""

from storage import (  # noqa: F401
    covenant_tables,
    outbox_tables,
    ranking_tables,
    reminder_tables,
    report_tables,
    tables,
)
