"""Buttons as plain data: what services and the outbox put under a message.

A message's keyboard is rows of buttons, each a label with either callback data (the bot
handles the press) or a URL. Services and the outbox build and store these; only the code
that calls python-telegram-bot turns them into its InlineKeyboardMarkup (bot.markup), so
every rule can be used and tested without PTB, and another front end could draw them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Telegram's limit on callback_data (Bot API, InlineKeyboardButton): 1-64 bytes.
CALLBACK_DATA_MAX_BYTES = 64


@dataclass(frozen=True, slots=True)
class Button:
    """One button: a label and either callback `data` or a `url`."""

    label: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has callback data or a URL, exactly one")
        if self.data is not None and not 1 <= len(self.data.encode()) <= CALLBACK_DATA_MAX_BYTES:
            raise ValueError(f"callback data must be 1-{CALLBACK_DATA_MAX_BYTES} bytes: "
                             f"{self.data[:20]!r}")


Buttons = tuple[tuple[Button, ...], ...]
"""Rows of buttons, top to bottom; empty when a message has none."""

NO_BUTTONS: Buttons = ()


def rows(*lines: Iterable[Button]) -> Buttons:
    """Rows from iterables of buttons, empty rows left out."""
    return tuple(row for row in (tuple(line) for line in lines) if row)


def keyboard(pairs: Iterable[Iterable[tuple[str, str]]]) -> Buttons:
    """Rows of callback buttons from rows of (label, callback data) pairs."""
    return rows(*((Button(label, data) for label, data in row) for row in pairs))


def one(label: str, data: str) -> Buttons:
    """A keyboard of one callback button."""
    return ((Button(label, data),),)


def to_json(buttons: Buttons) -> dict[str, Any] | None:
    """Telegram's JSON for an inline keyboard (as the outbox stores it), None if empty."""
    if not buttons:
        return None
    return {"inline_keyboard": [[_button_json(b) for b in row] for row in buttons]}


def _button_json(button: Button) -> dict[str, str]:
    if button.url is not None:
        return {"text": button.label, "url": button.url}
    assert button.data is not None
    return {"text": button.label, "callback_data": button.data}


def from_json(data: Mapping[str, Any] | None) -> Buttons:
    """The buttons of Telegram's inline-keyboard JSON (what to_json wrote)."""
    if not data:
        return NO_BUTTONS
    keyboard: Sequence[Sequence[Mapping[str, Any]]] = data.get("inline_keyboard") or ()
    return rows(*([Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
                  for row in keyboard))
