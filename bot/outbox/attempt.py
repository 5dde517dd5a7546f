"""One call to Telegram for one part of an outbox message, and what its answer means."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.markup import inline_markup
from bot.outbox.limiter import OUTBOX, retry_seconds
from bot.outbox.model import Outgoing
from bot.outbox.queue import parts_of

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY_AFTER = "retry-after"  # 429: this chat (or the whole bot) must wait retry_after
    TRANSIENT = "transient"  # network error, timeout, 5xx: try again after a pause
    FAILED = "failed"  # 400 and anything else that will not get better by retrying
    UNREACHABLE = "unreachable"  # 403
    MIGRATED = "migrated"  # the group became a supergroup: send to new_chat_id


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    message: Message | None = None
    error: str | None = None
    retry_after: float = 0.0
    new_chat_id: int | None = None


def is_local_file(file: str) -> bool:
    # Telegram file_ids are URL-safe base64: they never contain a path separator.
    return "/" in file or "\\" in file


class FileIds(dict[str, str]):
    """Local path -> Telegram file_id, once uploaded: every later recipient gets the file by
    id. While a file's first upload is in flight the other sends of it wait for its id
    (lock), instead of uploading it side by side."""

    def __init__(self) -> None:
        super().__init__()
        self._locks: dict[str, asyncio.Lock] = {}

    def lock(self, file: str) -> asyncio.Lock:
        return self._locks.setdefault(file, asyncio.Lock())


async def _media(file: str, files: FileIds) -> Any:
    if not is_local_file(file):
        return file
    if file in files:
        return files[file]
    path = Path(file)
    data = await asyncio.to_thread(path.read_bytes)  # read here: PTB would leave it open
    return InputFile(data, filename=path.name)


def file_id_of(message: Message) -> str | None:
    """The file id of a sent photo (largest size) or document; None for a text."""
    if message.photo:
        return message.photo[-1].file_id
    if message.document:
        return message.document.file_id
    return None


async def _call(
    bot: Bot, chat_id: int, part: dict[str, Any], markup: InlineKeyboardMarkup | None,
    files: FileIds, **limits: Any,
) -> Message:
    kind, text, file = part["kind"], part.get("text"), part.get("file")
    if kind == "text":
        return await bot.send_message(chat_id, str(text), reply_markup=markup, **limits)
    if kind == "edit":
        edited = await bot.edit_message_text(str(text), chat_id=chat_id,
                                             message_id=int(part["message_id"]),
                                             reply_markup=markup, **limits)
        assert isinstance(edited, Message)  # True only for inline-mode messages
        return edited
    if file and is_local_file(file) and file not in files:
        async with files.lock(file):  # the first upload; the others then go by its id
            return await _send_file(bot, chat_id, part, markup, files, **limits)
    return await _send_file(bot, chat_id, part, markup, files, **limits)


async def _send_file(
    bot: Bot, chat_id: int, part: dict[str, Any], markup: InlineKeyboardMarkup | None,
    files: FileIds, **limits: Any,
) -> Message:
    kind, text, file = part["kind"], part.get("text"), part.get("file")
    media = await _media(str(file), files)
    if kind == "photo":
        message = await bot.send_photo(chat_id, media, caption=text, reply_markup=markup,
                                       **limits)
    else:
        message = await bot.send_document(chat_id, media, caption=text, reply_markup=markup,
                                          **limits)
    if file and is_local_file(file) and (file_id := file_id_of(message)):
        files[file] = file_id  # every later recipient gets the uploaded file by id
    return message


async def send_part(
    bot: Bot,
    chat_id: int,
    part: dict[str, Any],
    markup: InlineKeyboardMarkup | None,
    files: FileIds,
) -> Attempt:
    """Send one part; never raises for Telegram's answers, only classifies them. A 429 comes
    back at once (the rate limiter does not retry the outbox's sends): the worker puts the
    row back and sends to other chats while this one waits."""
    # rate_limit_args exists only on a bot with a rate limiter (PTB refuses it otherwise).
    paced = getattr(bot, "rate_limiter", None) is not None
    limits = {"rate_limit_args": OUTBOX} if paced else {}
    try:
        message = await _call(bot, chat_id, part, markup, files, **limits)
    except RetryAfter as exc:
        return Attempt(Outcome.RETRY_AFTER, error=str(exc), retry_after=retry_seconds(exc))
    except ChatMigrated as exc:
        return Attempt(Outcome.MIGRATED, error=str(exc), new_chat_id=exc.new_chat_id)
    except Forbidden as exc:
        return Attempt(Outcome.UNREACHABLE, error=str(exc))
    except (BadRequest, InvalidToken) as exc:  # BadRequest is a NetworkError subclass
        return Attempt(Outcome.FAILED, error=str(exc))
    except NetworkError as exc:
        return Attempt(Outcome.TRANSIENT, error=str(exc) or type(exc).__name__)
    except TelegramError as exc:
        return Attempt(Outcome.FAILED, error=str(exc))
    except OSError as exc:  # a local file to upload is missing or unreadable
        return Attempt(Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")
    return Attempt(Outcome.SENT, message=message)


async def send_now(bot: Bot, item: Outgoing) -> list[Message]:
    """Send at once, bypassing the outbox (an interactive answer, e.g. a preview), split the
    same way; Telegram's errors are raised to the caller."""
    parts = parts_of(item)
    sent = []
    for index, part in enumerate(parts):
        markup = inline_markup(item.buttons) if index == len(parts) - 1 else None
        sent.append(await _call(bot, item.chat_id, part, markup, FileIds()))
    return sent
