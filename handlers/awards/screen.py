"""How the vote's screens reach the chat: the pressed message is edited in place (a ballot
changes where it is), anything else is a new message; every press gets its answer."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest

from bot.buttons import Buttons
from handlers.context import BotContext
from handlers.screens import answer_screen, edit_screen, unchanged

ANSWER_MAX = 200  # answerCallbackQuery's text: 0-200 characters (Bot API)


def _carries(message: Message, data: str | None) -> bool:
    markup = message.reply_markup
    if markup is None or data is None:
        return False
    return any(b.callback_data == data for row in markup.inline_keyboard for b in row)


async def show(update: Update, context: BotContext, text: str, buttons: Buttons = (), *,
               edit: bool = False) -> None:
    """Edit the pressed message (when it really carries the pressed button: forged data
    may name any message) or send a new one."""
    query = update.callback_query
    message = query.message if query is not None else None
    if edit and query is not None and isinstance(message, Message) and _carries(
            message, query.data):
        try:
            await edit_screen(context.bot, message.chat_id, message.message_id, text, buttons)
        except BadRequest as exc:
            if not unchanged(exc):
                raise
        return
    await answer_screen(update, text, buttons)


async def answer_press(update: Update, context: BotContext, key: str | None = None, *,
                       alert: bool = False, **params: object) -> None:
    query = update.callback_query
    if query is None:
        return
    if key is None:
        await query.answer()
    else:
        lang = context.caller.language if context.caller else context.runtime.settings.bot_language
        # An answer is plain text (no HTML), at most 200 characters (Bot API).
        await query.answer(context.runtime.texts.plain(lang, key, **params)[:ANSWER_MAX],
                           show_alert=alert)
