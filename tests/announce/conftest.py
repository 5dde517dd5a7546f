"""Service tests reuse the outbox tests' database, clock, runtime and block set-up."""

from tests.outbox.conftest import clock, runtime, timedelta_retry_after  # noqa: F401
