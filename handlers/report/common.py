"""Pieces the report and review handlers share: the pressed button's data, showing a
screen in place of the pressed one, and refusing (and auditing) a press that is not allowed.
The data's formats are the features' (bot.services.reports.callbacks,
bot.services.review.callbacks)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import BadRequest

from handlers.common import audit_press, together
from handlers.context import BotContext
from handlers.screens import Markup, answer_screen, edit_screen, unchanged

log = logging.getLogger(__name__)


def pressed_data(update: Update) -> str | None:
    """The pressed button's callback data (None for anything but a press)."""
    return update.callback_query.data if update.callback_query else None


async def show(
    update: Update, context: BotContext, text: str, markup: Markup | None = None
) -> None:
    """Replace the pressed message with this screen, or answer a typed message with it.

    Inside `answer_press` the screen waits, to go out together with the press's answer."""
    if context.screens is not None and update.callback_query is not None:
        context.screens.append((text, markup))
        return
    await _show_now(update, text, markup)


async def _show_now(update: Update, text: str, markup: Markup | None) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await edit_screen(update.get_bot(), query.message.chat.id, query.message.message_id,
                              text, markup)
            return
        except BadRequest as exc:
            if unchanged(exc):
                return
            # Too old to edit, or deleted: send the screen as a new message instead.
            log.info("could not edit the pressed message: %s", exc)
    await answer_screen(update, text, markup)


async def answer_press(
    update: Update, context: BotContext, route: Callable[[], Awaitable[str | None]]
) -> None:
    """Run a press's route, then show the screen it chose and answer the press (with the
    route's notice, if any) at the same time (handlers.common.together)."""
    context.screens = []
    try:
        notice = await route()
        screens = context.screens
    finally:
        context.screens = None

    async def shown() -> None:
        for text, markup in screens:  # in order, should a route show two
            await _show_now(update, text, markup)

    await together(shown(), answer(update, context, notice))


async def answer(
    update: Update, context: BotContext, key: str | None = None, **params: object
) -> None:
    """Stop the button's spinner, with a short notice if `key` is given."""
    query = update.callback_query
    if query is None:
        return
    text = context.t(key, **params) if key else None
    await query.answer(text, show_alert=bool(text and len(text) > 60))


async def refuse_press(update: Update, context: BotContext, action: str) -> str:
    """A press the caller may not make (another unit's report, a forged id): audit it and
    return the refusal notice for `answer`."""
    await audit_press(update, context, action, subject_max=200)
    return "report-press-refused"
