"""Plain data records shared by the emulator's server side and its test-side API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["429", "403", "400", "502", "drop"]

JSON = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str, **parameters: Any) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}", parameters or None)


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


@dataclass(frozen=True)
class Upload:
    """One multipart file part exactly as the client sent it."""

    field: str
    filename: str
    mime_type: str
    data: bytes


@dataclass
class StoredFile:
    """A file known to the emulated server (uploaded by the bot or sent by a user)."""

    file_id: str
    file_unique_id: str
    kind: Literal["photo", "document"]
    data: bytes
    filename: str | None
    mime_type: str | None
    file_path: str
    width: int = 0
    height: int = 0
    photo_sizes: list[JSON] = field(default_factory=list)  # all sizes of the same photo

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ApiCall:
    """One completed request to ``/bot<token>/<method>`` (recorded when its answer is known)."""

    seq: int
    method: str
    params: JSON
    files: dict[str, Upload]
    time: float
    chat_id: int | str | None
    ok: bool
    status: int
    result: Any = None
    error: str | None = None
    fault: FaultKind | None = None

    def summary(self) -> str:
        state = "ok" if self.ok else f"{self.status} {self.error}"
        if isinstance(self.result, list):
            state += f" [{len(self.result)} items]"
        if self.fault:
            state += f" [fault {self.fault}]"
        detail = self.params.get("text") or self.params.get("caption") or self.params.get("data")
        extra = f" {str(detail)[:60]!r}" if detail else ""
        return f"#{self.seq} {self.method} chat={self.chat_id} -> {state}{extra}"


@dataclass
class SentMessage:
    """A message the bot sent, kept up to date through edits and deletion.

    ``message`` is the current Telegram ``Message`` object (what the bot got back, with
    ``edit_date`` after an edit).  ``versions[0]`` is the original content, every later element
    one edit (text/caption, entities, reply_markup, source_text, parse_mode, date, method).
    """

    chat_id: int
    message_id: int
    date: int
    kind: Literal["text", "photo", "document"]
    method: str
    message: JSON
    source_text: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    file: StoredFile | None = None
    versions: list[JSON] = field(default_factory=list)
    deleted: bool = False

    @property
    def text(self) -> str | None:
        """The displayed text (tags already parsed away), or the caption for media."""
        value = self.message.get("text", self.message.get("caption"))
        return None if value is None else str(value)

    @property
    def caption(self) -> str | None:
        value = self.message.get("caption")
        return None if value is None else str(value)

    @property
    def edits(self) -> list[JSON]:
        return self.versions[1:]

    @property
    def file_bytes(self) -> bytes | None:
        return None if self.file is None else self.file.data

    @property
    def buttons(self) -> list[JSON]:
        """Inline keyboard buttons, row after row, flattened."""
        markup = self.message.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    def button(self, text_contains: str) -> JSON:
        """The first inline button whose label contains ``text_contains``."""
        for button in self.buttons:
            if text_contains in str(button.get("text", "")):
                return button
        labels = [b.get("text") for b in self.buttons]
        raise LookupError(f"no button containing {text_contains!r}; buttons: {labels}")


@dataclass
class CallbackAnswer:
    """What the bot answered to one button press (answerCallbackQuery)."""

    callback_query_id: str
    user_id: int
    chat_id: int | None
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    date: int


@dataclass(frozen=True)
class Mark:
    """A point in the emulator's history; waits with ``after=mark`` only count later events."""

    calls: int
    sent: int
