"""One error handler: log with the traceback, tell the user in their language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from handlers.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and apologise to the user, never exposing details."""
    error = context.error
    # In PTB, BadRequest and Forbidden are NetworkErrors too, but they are our bugs or the
    # user's choice, not a flaky connection: only the rest is transient.
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest | Forbidden):
        # Transient: PTB retries polling itself; a per-update send simply failed.
        log.warning("network error: %s", error)
        return
    log.error("update failed: %s", type(error).__name__, exc_info=error)
    context.runtime.failed_updates.append(type(error).__name__)
    if isinstance(update, Update) and update.callback_query is not None:
        # A press whose handler failed: stop the spinner with the apology (shown as an
        # alert), so the phone does not wait on a button nothing will answer.
        try:
            await update.callback_query.answer(context.t("common-error"), show_alert=True)
            return
        except Exception:  # already answered, or too old to answer: apologise in the chat
            log.debug("could not answer the failed press", exc_info=True)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(context.t("common-error"))
        except Exception:  # the apology itself may fail (blocked, network): already logged
            log.debug("could not send the error notice", exc_info=True)
