"""Shared services of a running bot, reachable from every handler as `context.runtime`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.commands import CommandSpec
from bot.config import Settings
from bot.keyboard import Markup
from bot.services.access import Caller
from bot.services.clock import Clock
from bot.texts import Catalog
from storage.db import Database

RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    texts: Catalog
    commands: list[CommandSpec] = field(default_factory=list)
    # Feature services register themselves here by name (outbox, planner, chart cache...).
    extras: dict[str, Any] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with the runtime and the caller resolved for this update."""

    caller: Caller | None = None
    # Screens a press's route chose, shown with the press's answer (handlers.report_common).
    screens: list[tuple[str, Markup | None]] | None = None

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.application)

    def t(self, key: str, /, **params: Any) -> str:
        """Render a catalog text in the caller's language."""
        lang = self.caller.language if self.caller else self.runtime.settings.bot_language
        return self.runtime.texts.text(lang, key, **params)


BotApplication = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def runtime_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    """The runtime build_application stored in the application's bot_data."""
    runtime: Runtime = application.bot_data[RUNTIME_KEY]
    return runtime
