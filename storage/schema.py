"""Import every table module so the shared metadata knows the whole schema."""

from storage import covenant_tables, outbox_tables, report_tables, tables  # noqa: F401
