"""Inline keyboards for screens that are shown and forgotten (handlers.screens)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from telegram import InlineKeyboardMarkup


class Button(NamedTuple):
    text: str
    callback_data: str


class Keyboard:
    """Callback buttons for a screen that is shown and forgotten, kept as Telegram's JSON.

    PTB's InlineKeyboardMarkup sets every field of every button through a checked
    __setattr__ and serialises them back one by one: ~0.2 ms of CPU for a report form's
    sixteen buttons (tests/benchmarks/load.py), on every form shown. This builds the same
    JSON directly. It reads like an InlineKeyboardMarkup where one looks at a screen's
    buttons (`inline_keyboard`, rows of buttons with `text` and `callback_data`)."""

    __slots__ = ("inline_keyboard",)

    def __init__(self, rows: Sequence[Sequence[tuple[str, str]]]) -> None:
        self.inline_keyboard = tuple(
            tuple(Button(text, data) for text, data in row) for row in rows if row)

    def as_json(self) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": b.text, "callback_data": b.callback_data}
                                     for b in row] for row in self.inline_keyboard]}


Markup = InlineKeyboardMarkup | Keyboard
