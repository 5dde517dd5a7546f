"""The report tests' world (example block, a few representatives, a clock in phase 1)."""

from tests.reports.conftest import world  # noqa: F401
