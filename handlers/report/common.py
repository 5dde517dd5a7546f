"""Pieces the report and review handlers share: the pressed button's data, showing a
screen in place of the pressed one, and refusing (and auditing) a press that is not allowed.
The data's formats are the features' (bot.services.reports.callbacks,
bot.services.review.callbacks)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import ForceReply, Update
from telegram.error import BadRequest

from handlers.common import audit_press, together
from handlers.context import BotContext
from handlers.screens import Markup, answer_screen, edit_screen, one_message, unchanged

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


async def ask(
    update: Update, context: BotContext, text: str, placeholder: str | None = None
) -> None:
    """Send a new message below: a question with a ForceReply prompt (`placeholder`: what
    the input field shows), so the phone opens the keyboard on it; without a placeholder a
    plain message (a long value shown before its question).

    Inside `answer_press` it waits, to go out after the press's screens."""
    if context.asks is not None and update.callback_query is not None:
        context.asks.append((text, placeholder))
        return
    await _ask_now(update, text, placeholder)


async def _ask_now(update: Update, text: str, placeholder: str | None) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if placeholder is None:
        await answer_screen(update, text)
        return
    prompt = ForceReply(input_field_placeholder=placeholder)
    await update.get_bot().send_message(chat.id, one_message(text), reply_markup=prompt)


async def answer_press(
    update: Update, context: BotContext, route: Callable[[], Awaitable[str | None]]
) -> None:
    """Run a press's route, then show the screen it chose (and the questions it asks
    below) and answer the press (with the route's notice, if any) at the same time
    (handlers.common.together)."""
    context.screens, context.asks = [], []
    try:
        notice = await route()
        screens, asks = context.screens, context.asks
    finally:
        context.screens = context.asks = None

    async def shown() -> None:
        for text, markup in screens:  # in order, should a route show two
            await _show_now(update, text, markup)
        for text, placeholder in asks:
            await _ask_now(update, text, placeholder)

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
