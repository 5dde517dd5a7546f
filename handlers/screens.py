"""Showing a screen: a message or an edit whose returned Message no handler reads.

One place for how a handler sends its answer, status or form (HTML by the bot's defaults,
in the forum topic it answers, with plain buttons from a service or a view or PTB's own
markup) and for recognising Telegram's "not modified" refusal of an edit. These are PTB's
own methods (send_message, edit_message_text, edit_message_reply_markup, send_photo): the
same rate limiter and the same errors (BadRequest, Forbidden…) as any other call.

It is also the guard against a screen Telegram would refuse for its length (4,096 UTF-16
units of visible text, 1,024 for a caption; issue 26): a message too long is sent as
several (the keyboard under the last), an edit or a caption, which cannot be several, is
clipped with an ellipsis. Views still fit their screens themselves; this only makes sure
a slip never turns into an error in front of the person.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.buttons import Buttons
from bot.markup import inline_markup
from bot.outbox.split import CAPTION_LIMIT, TEXT_LIMIT, clip_html, split_text, visible_length

log = logging.getLogger(__name__)

# What a screen's keyboard may be: plain buttons (from a service or a view) or PTB's own.
Markup = Buttons | InlineKeyboardMarkup


def unchanged(exc: BadRequest) -> bool:
    """Telegram refused an edit because the message already shows exactly this (a double
    press, or a refresh with nothing new): nothing to do."""
    return "not modified" in str(exc).lower()


def one_message(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text` (HTML) as one message or caption can hold it: clipped with an ellipsis when
    its visible text is over `limit` UTF-16 units."""
    clipped = clip_html(text, limit)
    if clipped is not text:
        log.info("screen of %d units clipped to %d", visible_length(text), limit)
    return clipped


def _markup(markup: Markup | None) -> InlineKeyboardMarkup | None:
    return inline_markup(markup) if isinstance(markup, tuple) else markup


async def send_screen(
    bot: Bot, chat_id: int, text: str, markup: Markup | None = None,
    thread_id: int | None = None,
) -> None:
    """sendMessage (into a forum topic, given `thread_id`); a text over Telegram's limit
    goes as several messages, the keyboard under the last."""
    parts = split_text(text, TEXT_LIMIT)
    if len(parts) > 1:
        log.info("screen of %d units sent as %d messages", visible_length(text), len(parts))
    for part in parts[:-1]:
        await bot.send_message(chat_id, part, message_thread_id=thread_id)
    await bot.send_message(chat_id, parts[-1], reply_markup=_markup(markup),
                           message_thread_id=thread_id)


async def edit_screen(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: Markup | None = None,
) -> None:
    """editMessageText (without `markup` the keyboard goes, as in Telegram); a text over
    Telegram's limit is clipped."""
    await bot.edit_message_text(one_message(text), chat_id=chat_id, message_id=message_id,
                                reply_markup=_markup(markup))


async def edit_buttons(bot: Bot, chat_id: int, message_id: int, markup: Buttons) -> None:
    """editMessageReplyMarkup (a notice's copies and group counter)."""
    await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id,
                                        reply_markup=inline_markup(markup))


async def send_known_photo(bot: Bot, chat_id: int, file_id: str, caption: str) -> None:
    """sendPhoto of a picture Telegram already keeps (by its file id, as a cached chart);
    a caption over Telegram's limit is clipped."""
    await bot.send_photo(chat_id, file_id, caption=one_message(caption, CAPTION_LIMIT))


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
