"""Import every table module so the shared metadata knows the whole schema."""

from storage import tables  # noqa: F401
