"""Import every table module so the shared metadata knows the whole schema."""

import storage.activities.tables
import storage.awards.tables
import storage.covenant.tables
import storage.digest.tables
import storage.handled_updates
import storage.outbox.tables
import storage.progress.tables
import storage.ranking.tables
import storage.reminders.tables
import storage.reports.tables
import storage.tables  # noqa: F401
