"""Plain buttons (bot.buttons) as python-telegram-bot's InlineKeyboardMarkup, where PTB
sends them: the handlers' screens and the outbox's sender."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import Button, Buttons


def inline_markup(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    """The keyboard PTB sends, or None for a message without buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in buttons])


def _button(button: Button) -> InlineKeyboardButton:
    if button.url is not None:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def buttons_of(markup: InlineKeyboardMarkup | None) -> Buttons:
    """What a message Telegram returned carries, as plain buttons (callback and URL ones)."""
    if markup is None:
        return ()
    return tuple(
        tuple(Button(b.text, b.callback_data if isinstance(b.callback_data, str) else None,
                     b.url) for b in row if b.url is not None or isinstance(b.callback_data, str))
        for row in markup.inline_keyboard)
