"""The message catalogs: every sentence a user reads, per language."""

from bot.texts.catalog import LANGUAGES, Catalog, Html, catalog

__all__ = ["LANGUAGES", "Catalog", "Html", "catalog"]
