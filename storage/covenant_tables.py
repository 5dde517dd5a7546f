"""Tables of this feature (its own Alembic migration); filled in with the feature."""

from storage.tables import metadata

__all__ = ["metadata"]
