"""The test-side facade: :class:`BotApiEmulator` (see the package docstring for a tour)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import json
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from bot.sandbox import actions
from bot.sandbox.faults import FaultPlan
from bot.sandbox.journal import CallPredicate, Journal
from bot.sandbox.link import Link
from bot.sandbox.models import JSON, ApiCall, CallbackAnswer, FaultKind, Mark, SentMessage
from bot.sandbox.server import HttpServer, make_app
from bot.sandbox.state import Chat, User, World
from bot.sandbox.transcript import chat_log, render_transcript


class BotApiEmulator:
    """An offline Telegram Bot API server on 127.0.0.1 plus the users talking to the bot."""

    def __init__(self, *, token: str = "123456:TEST-TOKEN", bot_username: str = "thidua_test_bot",
                 bot_id: int = 123456, bot_name: str = "Thi đua (test)",
                 privacy_mode: bool = True, now: Callable[[], float] = time.time,
                 host: str = "127.0.0.1", port: int = 0, rtt: float = 0.0) -> None:
        self.token = token
        self.world = World(token=token, bot_id=bot_id, bot_username=bot_username,
                           bot_name=bot_name, privacy_mode=privacy_mode, now=now,
                           on_change=self._on_updates_changed)
        self.faults = FaultPlan()
        self.journal = Journal(self.world)
        self.link = Link(rtt)
        self._host, self._port = host, port
        self._server: HttpServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("already started")
        self.world.updates.reopen()  # after a stop(), long polls may wait again
        server = HttpServer(make_app(self.world, self.faults, self.journal, self.link))
        server.listen(self._host, self._port)
        self._server = server

    async def stop(self) -> None:
        """Ends pending long polls (they answer ``[]``), stops webhook delivery, closes sockets."""
        server, self._server = self._server, None
        if server is None:
            return
        await self.world.updates.close()
        # Give the woken long polls a moment to answer before their connections are cut.
        with contextlib.suppress(AssertionError):
            await self.journal.wait_no_open_requests(1.0)
        await server.close()
        # A call still being answered (one from a bot killed mid-request, on its emulated
        # round trip) ends now that its connection is gone: let it, so no handler task
        # outlives the emulator.
        with contextlib.suppress(AssertionError):
            await self.journal.wait_no_open_requests(2.0)
        await asyncio.sleep(0)  # let tornado run the connection-close callbacks

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("start() the emulator first")
        return f"http://{self._host}:{self._server.port}"

    @property
    def port(self) -> int:
        return 0 if self._server is None else self._server.port

    @property
    def bot_user(self) -> JSON:
        return dict(self.world.bot_user)

    def _on_updates_changed(self) -> None:
        self.journal.touch()

    # -- people and chats ----------------------------------------------------------------
    def add_user(self, user_id: int, first_name: str, *, last_name: str | None = None,
                 username: str | None = None, language_code: str | None = "vi",
                 started: bool = False) -> JSON:
        if user_id in self.world.users:
            raise ValueError(f"user {user_id} exists already")
        user = User(id=user_id, first_name=first_name, last_name=last_name, username=username,
                    language_code=language_code, started=started)
        self.world.users[user_id] = user
        actions.private_chat(self.world, user)
        return user.as_user()

    def add_group(self, chat_id: int, title: str, *, supergroup: bool = False,
                  members: list[int] | tuple[int, ...] = (), creator: int | None = None,
                  username: str | None = None, bot_is_member: bool = True) -> JSON:
        if chat_id in self.world.chats:
            raise ValueError(f"chat {chat_id} exists already")
        chat = Chat(id=chat_id, type="supergroup" if supergroup else "group", title=title,
                    username=username, bot_status="member" if bot_is_member else "left")
        for user_id in members:
            self.world.sender(user_id)
            chat.members[user_id] = "member"
        if creator is not None:
            chat.members[creator] = "creator"
        self.world.chats[chat_id] = chat
        if username:
            self.world.usernames[username.lower()] = chat_id
        return chat.as_chat()

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Also for the bot itself (user_id == bot id), e.g. "administrator"."""
        actions.set_member_status(self.world, chat_id, user_id, status)

    def block_bot(self, user_id: int, blocked: bool = True) -> None:
        actions.block_bot(self.world, user_id, blocked)

    def add_bot_to_group(self, chat_id: int, by_user_id: int) -> JSON:
        return actions.add_bot_to_group(self.world, chat_id, by_user_id)

    def remove_bot_from_group(self, chat_id: int, by_user_id: int, *, kicked: bool = True) -> None:
        actions.remove_bot_from_group(self.world, chat_id, by_user_id, kicked=kicked)

    def migrate_group_to_supergroup(self, chat_id: int, new_chat_id: int, *,
                                    by_user_id: int | None = None) -> tuple[JSON, JSON]:
        return actions.migrate_group(self.world, chat_id, new_chat_id, by_user_id)

    # -- what users do -------------------------------------------------------------------
    def send_text(self, user_id: int, text: str, *, chat_id: int | None = None,
                  reply_to_message_id: int | None = None,
                  entities: list[JSON] | None = None) -> JSON:
        return actions.send_text(self.world, user_id, text, chat_id=chat_id,
                                 reply_to_message_id=reply_to_message_id, entities=entities)

    def send_photo(self, user_id: int, data: bytes, *, caption: str | None = None,
                   chat_id: int | None = None) -> JSON:
        return actions.send_photo(self.world, user_id, data, caption=caption, chat_id=chat_id)

    def send_document(self, user_id: int, data: bytes, *, filename: str, mime_type: str,
                      caption: str | None = None, chat_id: int | None = None) -> JSON:
        return actions.send_document(self.world, user_id, data, filename=filename,
                                     mime_type=mime_type, caption=caption, chat_id=chat_id)

    def press_button(self, user_id: int, message: SentMessage | JSON | int, data: str, *,
                     chat_id: int | None = None) -> JSON:
        return actions.press_button(self.world, user_id, message, data, chat_id=chat_id)

    def press_button_text(self, user_id: int, message: SentMessage | JSON | int, label: str, *,
                          chat_id: int | None = None) -> JSON:
        return actions.press_button_text(self.world, user_id, message, label, chat_id=chat_id)

    def inject_update(self, body: JSON, *, update_id: int | None = None) -> JSON | None:
        """Queue ``body`` as an update exactly as given, unchecked: shapes another Bot API
        version sends, fields missing, a private message without ``from``. It gets the next
        update_id unless ``update_id`` names one (an earlier one: a webhook redelivery).
        Returns the queued update, or None when allowed_updates filtered it out."""
        return self.world.updates.push(dict(body), update_id=update_id)

    # -- faults ----------------------------------------------------------------------------
    def inject_fault(self, method: str, kind: FaultKind, *, times: int = 1, retry_after: int = 1,
                     chat_id: int | None = None, description: str | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any) with a failure."""
        self.faults.add(method, kind, times=times, retry_after=retry_after, chat_id=chat_id,
                        description=description)

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- the network and Telegram's flood limits (bot.sandbox.link) -------------------------
    @property
    def rtt(self) -> float:
        """Seconds each call's answer takes to come back (0: at once)."""
        return self.link.rtt

    @rtt.setter
    def rtt(self, seconds: float) -> None:
        self.link.rtt = seconds

    def limit_chat(self, chat_id: int | str, seconds: float) -> None:
        """From its next send, the chat answers 429 for ``seconds`` (the others do not)."""
        self.link.limit_chat(chat_id, seconds)

    def flood(self, seconds: float) -> None:
        """From now, every call but getUpdates answers 429 for ``seconds``."""
        self.link.flood(seconds)

    # -- what happened ---------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        return self.journal.calls

    def mark(self) -> Mark:
        return self.journal.mark()

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        if chat_id is None:
            return list(self.world.sent)
        chat = self.world.chats.get(chat_id)
        return [] if chat is None else list(chat.sent.values())

    def last_sent(self, chat_id: int | None = None) -> SentMessage:
        sent = self.world.sent if chat_id is None else self.sent_messages(chat_id)
        if not sent:
            raise LookupError(f"the bot sent nothing{'' if chat_id is None else f' to {chat_id}'}")
        return sent[-1]

    def chat_log(self, chat_id: int) -> list[JSON]:
        return chat_log(self.world, self.world.lookup_chat(chat_id))

    def transcript(self, chat_id: int, tz: dtm.tzinfo = dtm.UTC) -> str:
        return render_transcript(self.chat_log(chat_id), tz)

    def chats(self) -> dict[int, JSON]:
        return {chat_id: chat.as_chat() for chat_id, chat in self.world.chats.items()}

    def callback_answers(self, chat_id: int | None = None) -> list[CallbackAnswer]:
        return [a for a in self.world.answers if chat_id is None or a.chat_id == chat_id]

    def my_commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return list(self.world.commands.get((key, language_code), []))

    def file_bytes(self, file_id: str) -> bytes:
        return self.world.find_file(file_id).data

    def pending_updates(self) -> list[JSON]:
        return self.world.updates.pending()

    def webhook_info(self) -> JSON:
        return self.world.updates.webhook_info()

    # -- waiting ---------------------------------------------------------------------------
    async def wait_for_calls(self, method: str, *, count: int = 1, chat_id: int | None = None,
                             predicate: CallPredicate | None = None,
                             after: Mark | int | None = None, ok: bool | None = None,
                             timeout: float = 10.0) -> list[ApiCall]:  # noqa: ASYNC109 - public API
        """At least ``count`` calls of ``method`` (after ``after``, else since the start)."""
        return await self.journal.wait_for_calls(method, count=count, chat_id=chat_id,
                                                 predicate=predicate, after=after, ok=ok,
                                                 wait=timeout)

    async def wait_for_messages(self, chat_id: int | None = None, *, count: int = 1,
                                after: Mark | int | None = None,
                                predicate: Callable[[SentMessage], bool] | None = None,
                                timeout: float = 10.0) -> list[SentMessage]:  # noqa: ASYNC109
        """At least ``count`` new bot messages (sendMessage/Photo/Document that succeeded)."""
        return await self.journal.wait_for_messages(chat_id, count=count, after=after,
                                                    predicate=predicate, wait=timeout)

    async def wait_for_message(self, chat_id: int | None = None, *,
                               after: Mark | int | None = None,
                               predicate: Callable[[SentMessage], bool] | None = None,
                               timeout: float = 10.0) -> SentMessage:  # noqa: ASYNC109
        found = await self.wait_for_messages(chat_id, after=after, predicate=predicate,
                                             timeout=timeout)
        return found[0]

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Until no update is pending and no call happened for ``quiet`` seconds."""
        await self.journal.wait_idle(quiet, timeout)

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"<BotApiEmulator {where} calls={len(self.calls)} chats={len(self.world.chats)}>"

    def user(self, user_id: int) -> User:
        return self.world.sender(user_id)

    def chat(self, chat_id: int) -> Chat:
        return self.world.lookup_chat(chat_id)

    def pinned(self, chat_id: int) -> list[int]:
        """The chat's pinned message ids, the most recently pinned last."""
        chat = self.world.lookup_chat(chat_id)
        return [m for m in chat.pinned if chat.message(m) is not None]

    def summary(self) -> dict[str, Any]:
        return {"calls": len(self.calls), "sent": len(self.world.sent),
                "pending_updates": len(self.world.updates), "faults_fired": self.faults.fired}
