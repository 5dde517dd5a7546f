"""Sending or editing a screen whose returned Message no one reads.

`send_message` and `edit_message_text` turn Telegram's answer (the whole message: its text,
every entity of its HTML, its keyboard) into PTB objects. For a report form that is ~0.4 ms
of CPU per screen on the load benchmark's machine (tests/benchmarks/load.py), for nothing:
an answer, a status or a form is shown and never looked at again. These helpers make the
same Bot API calls (same rate limiter, same errors: BadRequest, Forbidden…) through PTB's
public `do_api_request`, which leaves the answer as Telegram sent it.

Anything whose message id is kept (notices, covenant copies, group posts) still uses
PTB's methods and gets its Message.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.warnings import PTBUserWarning

from bot.buttons import Buttons, to_json

# What a screen's keyboard may be: plain buttons (from a service or a view) or PTB's own.
Markup = Buttons | InlineKeyboardMarkup

# do_api_request suggests the named method for an endpoint PTB knows; here the point is
# precisely not to build its return value. Only that advice, only for the methods used here.
warnings.filterwarnings(
    "ignore",
    message=r"Please use 'Bot\.(sendMessage|sendPhoto|editMessageText|editMessageReplyMarkup)'",
    category=PTBUserWarning)


def unchanged(exc: BadRequest) -> bool:
    """Telegram refused an edit because the message already shows exactly this (a double
    press, or a refresh with nothing new): nothing to do."""
    return "not modified" in str(exc).lower()


def _fields(bot: Bot, text: str, markup: Markup | None,
            **where: int) -> dict[str, Any]:
    fields: dict[str, Any] = {**where, "text": text}
    if markup is not None:
        fields["reply_markup"] = to_json(markup) if isinstance(markup, tuple) else markup
    return _html(bot, fields)


def _html(bot: Bot, fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` with the parse mode of the bot's defaults (the factory's HTML), which PTB's
    own methods would add; a Bot without defaults sends plain text."""
    defaults = getattr(bot, "defaults", None)
    if defaults is not None and defaults.parse_mode:
        fields["parse_mode"] = defaults.parse_mode
    return fields


async def send_screen(
    bot: Bot, chat_id: int, text: str, markup: Markup | None = None,
    thread_id: int | None = None,
) -> None:
    """sendMessage (into a forum topic, given `thread_id`), its answer unread."""
    where = {"chat_id": chat_id}
    if thread_id is not None:
        where["message_thread_id"] = thread_id
    await bot.do_api_request("sendMessage", api_kwargs=_fields(bot, text, markup, **where))


async def edit_screen(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: Markup | None = None,
) -> None:
    """editMessageText, its answer unread (without `markup` the keyboard goes, as in
    Telegram)."""
    await bot.do_api_request("editMessageText", api_kwargs=_fields(
        bot, text, markup, chat_id=chat_id, message_id=message_id))


async def edit_buttons(bot: Bot, chat_id: int, message_id: int, markup: Buttons) -> None:
    """editMessageReplyMarkup, its answer unread (a notice's copies and group counter)."""
    await bot.do_api_request("editMessageReplyMarkup", api_kwargs={
        "chat_id": chat_id, "message_id": message_id, "reply_markup": to_json(markup)})


async def send_known_photo(bot: Bot, chat_id: int, file_id: str, caption: str) -> None:
    """sendPhoto of a picture Telegram already keeps (by its file id, as a cached chart),
    its answer unread: the Message PTB would build carries every size of the photo."""
    await bot.do_api_request("sendPhoto", api_kwargs=_html(
        bot, {"chat_id": chat_id, "photo": file_id, "caption": caption}))


async def answer_screen(
    update: Update, text: str, markup: Markup | None = None
) -> None:
    """Answer the update in its chat (a private answer, a status in a group), in the same
    forum topic as PTB's reply_text would."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    topic = message is not None and message.is_topic_message
    await send_screen(update.get_bot(), chat.id, text, markup,
                      message.message_thread_id if topic and message else None)
