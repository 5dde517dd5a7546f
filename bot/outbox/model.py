"""What producers hand to the outbox, what the worker reports back, and its retry policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.buttons import NO_BUTTONS, Buttons
from storage.outbox.records import State

__all__ = ["Delivery", "Hook", "Outgoing", "Policy", "Progress", "State"]


@dataclass(frozen=True)
class Outgoing:
    """One message for one chat; see the package docstring for the meaning of each field."""

    chat_id: int
    text: str | None = None
    buttons: Buttons = NO_BUTTONS
    photo: str | None = None
    document: str | None = None
    caption: str | None = None
    batch: str = ""
    dedupe_key: str = ""
    tg_user_id: int | None = None
    block_id: int | None = None
    # Edit this message of the chat in place (editMessageText) instead of sending a new
    # one: a live message such as the group's pinned progress (bot.services.progress).
    edit_message_id: int | None = None

    def __post_init__(self) -> None:
        if self.edit_message_id is not None and not self.text:
            raise ValueError("an edit carries the message's new text")
        if self.photo and self.document:
            raise ValueError("an Outgoing carries a photo or a document, not both")
        if not (self.text or self.photo or self.document):
            raise ValueError("an Outgoing needs a text, a photo or a document")
        if self.text and (self.photo or self.document):
            raise ValueError("use caption= for the text of a photo or document")


@dataclass(frozen=True)
class Progress:
    """Where one batch stands, counted from the database after each finished message."""

    batch: str
    total: int
    sent: int
    failed: int
    unreachable: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unreachable

    @property
    def finished(self) -> bool:
        return self.done >= self.total


@dataclass(frozen=True)
class Delivery:
    """One message that reached a final state, as told to the batch's subscribers."""

    row_id: int
    batch: str
    dedupe_key: str
    chat_id: int
    state: State
    message_id: int | None
    error: str | None
    tg_user_id: int | None
    block_id: int | None
    progress: Progress
    # The Telegram file id of a sent photo or document (a chart cache keeps it for reuse).
    file_id: str | None = None


Hook = Callable[[Any, Delivery], Awaitable[None]]  # (application, delivery)


@dataclass(frozen=True)
class Policy:
    """How hard the worker tries. 429s are not counted: Telegram told us exactly when to retry."""

    max_attempts: int = 5  # network errors and 5xx, then "failed" and the chair is told
    backoff_first: float = 1.0  # seconds before the 2nd attempt, doubling each time
    backoff_max: float = 30.0
    poll_interval: float = 60.0  # safety net: rows enqueued by another process (the CLI)

    def backoff(self, attempts: int) -> float:
        return float(min(self.backoff_max, self.backoff_first * 2 ** max(0, attempts - 1)))
