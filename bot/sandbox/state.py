"""The emulated Telegram world: users, chats, per-chat message stores, files, commands.

Everything is kept in dicts keyed by id so that lookups, edits and sends are O(1) however long a
benchmark runs; per-chat logs are append-only lists used for transcripts.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.sandbox.models import JSON, CallbackAnswer, SentMessage, StoredFile, bad_request
from bot.sandbox.models import forbidden as _forbidden
from bot.sandbox.updates import UpdateQueue


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    started: bool = False  # has written to the bot in private, so the bot may message them
    blocked: bool = False

    def as_user(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class LogEvent:
    """One line of a chat's history; rendered lazily so it reflects later edits."""

    kind: str  # "user" | "bot" | "service" | "button" | "answer"
    date: int
    message_id: int | None = None
    user_id: int | None = None
    data: str | None = None
    label: str | None = None  # the pressed button's text, when it was on the keyboard
    answer: CallbackAnswer | None = None
    delivered: bool = True


@dataclass
class Chat:
    id: int
    type: str  # "private" | "group" | "supergroup"
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the other side of a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    bot_status: str = "member"
    migrated_to: int | None = None
    messages: dict[int, JSON] = field(default_factory=dict)  # every message, current version
    sent: dict[int, SentMessage] = field(default_factory=dict)  # the bot's own messages
    deleted: set[int] = field(default_factory=set)
    pinned: list[int] = field(default_factory=list)  # pinned message ids, the newest last
    log: list[LogEvent] = field(default_factory=list)
    last_message_id: int = 0

    def as_chat(self) -> JSON:
        if self.user is not None:
            data = {k: v for k, v in self.user.as_user().items()
                    if k in ("id", "first_name", "last_name", "username")}
            return {**data, "type": "private"}
        data = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            data["username"] = self.username
        return data

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def message(self, message_id: int) -> JSON | None:
        if message_id in self.deleted:
            return None
        return self.messages.get(message_id)


def new_file_id(prefix: str) -> tuple[str, str]:
    """Random-looking ids shaped like Telegram's (long file_id, short file_unique_id)."""
    return f"{prefix}{secrets.token_urlsafe(48)}", f"AQAD{secrets.token_urlsafe(9)}"


class World:
    def __init__(self, *, token: str, bot_id: int, bot_username: str, bot_name: str,
                 privacy_mode: bool, now: Callable[[], float],
                 on_change: Callable[[], None]) -> None:
        self.token = token
        self.now = now
        self.privacy_mode = privacy_mode
        self.bot_user: JSON = {"id": bot_id, "is_bot": True, "first_name": bot_name,
                               "username": bot_username}
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.usernames: dict[str, int] = {}  # lowercase public @username -> chat id
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.sent: list[SentMessage] = []  # every bot message, in order
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.queries: dict[str, tuple[int, int | None, str | None]] = {}  # id -> user, chat, data
        self.answers: list[CallbackAnswer] = []
        self.updates = UpdateQueue(now, on_change)
        self._file_counter = 0
        self._query_counter = 4_000_000_000_000_000_000

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    def date(self) -> int:
        return int(self.now())

    def next_query_id(self) -> str:
        self._query_counter += 1
        return str(self._query_counter)

    # -- chats ---------------------------------------------------------------------------
    def lookup_chat(self, chat_id: Any) -> Chat:
        """The chat named by a request's chat_id (number or "@username"), else "chat not found"."""
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                chat_id = self.usernames.get(chat_id[1:].lower())
            else:
                try:
                    chat_id = int(chat_id)
                except ValueError:
                    chat_id = None
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def writable_chat(self, chat_id: Any) -> Chat:
        """The chat if the bot may post there now; Telegram's 400/403 answers otherwise."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self.lookup_chat(chat_id)
        if chat.migrated_to is not None:
            raise bad_request("group chat was upgraded to a supergroup chat",
                              migrate_to_chat_id=chat.migrated_to)
        if chat.user is not None:
            if chat.user.blocked:
                raise _forbidden("bot was blocked by the user")
            if not chat.user.started:
                raise _forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status in ("left", "kicked"):
            what = "the supergroup chat" if chat.type == "supergroup" else "the group chat"
            if chat.bot_status == "kicked":
                raise _forbidden(f"bot was kicked from {what}")
            raise _forbidden(f"bot is not a member of {what}")
        return chat

    def member_status(self, chat: Chat, user_id: int) -> str:
        if user_id == self.bot_id:
            return "member" if chat.user is not None else chat.bot_status
        if chat.user is not None:
            if user_id != chat.user.id:
                raise bad_request("user not found")
            return "member"
        if user_id in chat.members:
            return chat.members[user_id]
        if user_id in self.users:
            return "member"  # documented default for known users
        raise bad_request("user not found")

    def sender(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}; call add_user() first")
        return user

    # -- files ---------------------------------------------------------------------------
    def store_file(self, kind: Literal["photo", "document"], data: bytes, filename: str | None,
                   mime_type: str | None, *, width: int = 0, height: int = 0) -> StoredFile:
        self._file_counter += 1
        folder = "photos" if kind == "photo" else "documents"
        suffix = (filename or "").rpartition(".")[2] if filename and "." in filename else ""
        if kind == "photo":
            suffix = "jpg"
        path = f"{folder}/file_{self._file_counter}" + (f".{suffix}" if suffix else "")
        file_id, unique_id = new_file_id("AgACAgIAAxk" if kind == "photo" else "BQACAgIAAxk")
        stored = StoredFile(file_id=file_id, file_unique_id=unique_id, kind=kind,
                            data=data, filename=filename, mime_type=mime_type, file_path=path,
                            width=width, height=height)
        self.files[file_id] = stored
        self.files_by_path[path] = stored
        return stored

    def find_file(self, file_id: str) -> StoredFile:
        stored = self.files.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        return stored

    # -- messages ------------------------------------------------------------------------
    def add_message(self, chat: Chat, sender: JSON | None, fields: JSON, *, kind: str,
                    user_id: int | None = None, delivered: bool = True) -> JSON:
        """Stores a new message in ``chat`` (ids increase per chat) and logs it."""
        message_id = chat.next_message_id()
        message: JSON = {"message_id": message_id}
        if sender is not None:
            message["from"] = sender
        message.update(date=self.date(), chat=chat.as_chat(), **fields)
        chat.messages[message_id] = message
        chat.log.append(LogEvent(kind=kind, date=message["date"], message_id=message_id,
                                 user_id=user_id, delivered=delivered))
        return message

    def reply_target(self, chat: Chat, message_id: int | None, *, allow_missing: bool) -> JSON:
        """The ``reply_to_message`` field for a reply (Telegram nests only one level)."""
        if message_id is None:
            return {}
        target = chat.message(message_id)
        if target is None:
            if allow_missing:
                return {}
            raise bad_request("message to be replied not found")
        return {"reply_to_message": {k: v for k, v in target.items() if k != "reply_to_message"}}
