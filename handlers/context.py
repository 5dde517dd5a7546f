"""The context every handler receives: PTB's, with the runtime and the caller resolved."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.runtime import Runtime, runtime_of
from bot.services.access import Caller
from handlers.screens import Markup


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with the runtime and the caller resolved for this update."""

    caller: Caller | None = None
    # Screens a press's route chose, shown with the press's answer (handlers.report.common).
    screens: list[tuple[str, Markup | None]] | None = None
    # New messages it sends after them: (text, ForceReply placeholder or None for none).
    asks: list[tuple[str, str | None]] | None = None

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.application)

    def t(self, key: str, /, **params: Any) -> str:
        """Render a catalog text in the caller's language."""
        lang = self.caller.language if self.caller else self.runtime.settings.bot_language
        return self.runtime.texts.text(lang, key, **params)


BotApplication = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
