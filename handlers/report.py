"""Placeholder until its feature lands; registered in handlers.FEATURES."""

from __future__ import annotations

from telegram.ext import Application

from bot.commands import CommandSpec

COMMANDS: list[CommandSpec] = []


def register(application: Application) -> None:
    """Register this feature's handlers (none yet)."""
