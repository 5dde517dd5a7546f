"""The outbox worker: sends the outbox's rows with a bounded window of requests in flight.

Over a real network each request takes a round trip (50-150 ms, plus Telegram's own time),
so one message at a time cannot reach Telegram's 30 messages/s. The worker keeps up to
WINDOW (bot.outbox.pace) rows in flight, each to a different chat: a chat's messages go one
after the other, in the order they were enqueued. The pace (30/s overall, 20/min per group)
is the rate limiter's (bot.outbox.limiter.Pacer); a group at its limit is left aside.

A 429 puts the row back and pauses what it concerns, that chat or, in a flood, every chat
(bot.outbox.pace), while the others go on. A network error or a 5xx pauses all sending for
the policy's backoff: Telegram or the link is in trouble, not one chat. Crash safety: a row
is claimed ("sending") in a committed transaction before its call and marked sent after, so
a crash sends at most the rows in flight (WINDOW) twice, and skips nothing.

No task runs while the outbox is empty: wake() starts one pump task, which claims rows while
the window has room and stops when nothing is left; each row is sent by a task of its own.
They go through Application.create_task, so Application.stop() waits for them; once the
application stops the pump claims nothing more, and a row waiting out a pause goes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from telegram import Bot

from bot.buttons import from_json
from bot.markup import inline_markup
from bot.outbox.attempt import Attempt, FileIds, Outcome, file_id_of, send_part
from bot.outbox.finish import finish_row
from bot.outbox.limiter import Pacer
from bot.outbox.model import Delivery, Hook, Policy, State
from bot.outbox.pace import WINDOW, FloodWatch
from bot.services.clock import Clock
from bot.services.registration.group import follow_migration
from bot.texts import Catalog
from storage import outbox as outbox_repo
from storage.db import Database
from storage.outbox.records import OutboxRow

log = logging.getLogger(__name__)

PAUSE_SLICE = 0.2  # seconds; how quickly a pause notices that the application stops


class Outbox:
    """The application's sender. It needs the database (the rows), the clock and the texts
    (what it tells the chairs itself), not the whole Runtime."""

    def __init__(
        self, db: Database, clock: Clock, texts: Catalog, bot: Bot, *,
        policy: Policy | None = None, application: Any = None, window: int = WINDOW,
    ) -> None:
        self.db = db
        self.clock = clock
        self.texts = texts
        self.bot = bot
        self.policy = policy or Policy()
        self.application = application
        self.window = window
        limiter = getattr(bot, "rate_limiter", None)
        self._pacer = limiter if isinstance(limiter, Pacer) else None
        # The rate limiter reads every answer; without it (a test's bot) the worker does.
        self.floods = self._pacer.floods if self._pacer is not None else FloodWatch()
        self._hooks: list[tuple[str, Hook]] = []
        self._flight: set[int] = set()  # ids of the rows being sent
        self._chats: set[int] = set()  # their chats: never two messages of a chat at once
        self._held: dict[int, float] = {}  # chat -> loop time: after an unexpected error
        self._resume_at = 0.0  # loop time: a network error pauses all sending until then
        self._own_tasks: set[asyncio.Task[None]] = set()
        self._files = FileIds()  # a local file is uploaded once, then sent by its id
        self._generation = 0
        self._pumping = False
        self._closed = False
        self._changed = asyncio.Event()
        self._writing = asyncio.Lock()
        self._idle = asyncio.Event()
        self._idle.set()

    # -- producers' side -----------------------------------------------------------------
    def subscribe(self, prefix: str, hook: Hook) -> None:
        """Call `hook(application, delivery)` for each finished message of batches with the
        prefix; such batches' failures are the subscriber's to report, not the outbox's."""
        self._hooks.append((prefix, hook))

    def wake(self) -> None:
        """Look for work now (call after the transaction that enqueued has committed)."""
        self._generation += 1
        self._changed.set()
        if self._pumping or not self._accepting():
            return
        self._pumping = True
        self._idle.clear()
        self._spawn(self._pump(), "outbox-pump")

    @property
    def busy(self) -> bool:
        return bool(self._flight) or self._pumping

    async def close(self) -> None:
        """Stop taking work and wait for the tasks this outbox started itself."""
        self._closed = True
        while self._own_tasks:
            await asyncio.gather(*list(self._own_tasks), return_exceptions=True)

    async def idle(self) -> None:
        """Wait until nothing is left to send (tests and the benchmark)."""
        await self._idle.wait()

    def _settle(self) -> None:
        if not self.busy:
            self._idle.set()

    # -- machinery -----------------------------------------------------------------------
    def _accepting(self) -> bool:
        if self._closed:
            return False
        return self.application is None or bool(self.application.running)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        if self.application is not None and self.application.running:
            self.application.create_task(coro, name=name)
            return
        task = asyncio.create_task(coro, name=name)
        self._own_tasks.add(task)
        task.add_done_callback(self._own_tasks.discard)

    async def _pump(self) -> None:
        try:
            while self._accepting():
                seen = self._generation
                self._changed.clear()
                claimed = await self._fill()
                if not (claimed or self._flight or seen != self._generation):
                    async with self.db.read() as conn:
                        waiting = await outbox_repo.open_count(conn)  # out a pause
                    if not waiting and seen == self._generation:  # no wake() meanwhile
                        break
                await self._nap()
        except Exception:
            log.exception("the outbox stopped claiming; the next wake-up resumes it")
        finally:
            self._pumping = False
            self._settle()

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction of the outbox's own, one at a time: the rows in flight finish side
        by side, and SQLite makes a second writer wait in its busy handler, which sleeps
        in steps of up to 100 ms, where this lock hands over at once."""
        async with self._writing, self.db.transaction() as conn:
            yield conn

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _skipped(self, now: float) -> set[int]:
        """Chats not to claim for now: in flight, pausing, or a group at its limit."""
        for chat in [c for c, until in self._held.items() if until <= now]:
            del self._held[chat]
        waiting = self.floods.paused_chats(now)
        if self._pacer is not None:
            waiting |= self._pacer.full_groups()
        return self._chats | set(self._held) | {c for c in waiting if isinstance(c, int)}

    async def _fill(self) -> int:
        """Claim rows while the window has room; each is sent by a task of its own."""
        free = self.window - len(self._flight)
        now = self._now()
        if free <= 0 or max(self._resume_at, self.floods.flood_until) > now:
            return 0
        async with self.db.read() as conn:
            ids = await outbox_repo.open_heads(conn, free, self._skipped(now))
        if not ids:
            return 0
        async with self._write() as conn:
            rows = await outbox_repo.claim(conn, ids, self.clock.now())
            if not self._accepting():  # stopped meanwhile: no task would be awaited
                for row in rows:
                    await outbox_repo.release(conn, row.id, "stopped", counted=False)
                return 0
        for row in rows:
            self._flight.add(row.id)
            self._chats.add(row.chat_id)
            self._spawn(self._send(row), f"outbox-{row.id}")
        return len(rows)

    async def _nap(self) -> None:
        """Until a row is finished, work is enqueued, or a pause may have ended."""
        now = self._now()
        ends = [t for t in (self.floods.next_end(now), self._resume_at) if t and t > now]
        timeout = min([PAUSE_SLICE, *(t - now for t in ends)])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def _send(self, row: OutboxRow) -> None:
        chats = {row.chat_id}
        try:
            await self._deliver(row, chats)
        except Exception:
            log.exception("outbox row %s to chat %s stopped; it is tried again later",
                          row.id, row.chat_id)
            self._held[row.chat_id] = self._now() + self.policy.backoff_max
        finally:
            self._flight.discard(row.id)
            self._chats -= chats
            self._changed.set()
            self._settle()

    async def _turn(self, chat_id: int) -> bool:
        """Wait out a pause on this chat (or on all); False if the application stops."""
        while (left := max(self.floods.ready_at(chat_id), self._resume_at) - self._now()) > 0:
            if not self._accepting():
                return False
            # Polled: PTB offers no event for "the application is stopping".
            await asyncio.sleep(min(PAUSE_SLICE, left))
        return True

    async def _deliver(self, row: OutboxRow, chats: set[int]) -> None:
        markup = inline_markup(from_json(row.reply_markup))
        chat_id = row.chat_id
        index = row.parts_sent
        followed = False
        while index < len(row.parts):
            if not await self._turn(chat_id):
                async with self._write() as conn:
                    await outbox_repo.release(conn, row.id, "stopped", counted=False)
                return
            last = index == len(row.parts) - 1
            result = await send_part(
                self.bot, chat_id, row.parts[index], markup if last else None, self._files
            )
            if self._pacer is None:  # else the rate limiter has read this answer already
                refused = result.outcome is Outcome.RETRY_AFTER
                self.floods.note(chat_id, result.retry_after if refused else None, self._now())
            if result.outcome is Outcome.SENT:
                assert result.message is not None
                index += 1
                if last:
                    await self._finish(row, State.SENT, chat_id, result.message.message_id,
                                       file_id=file_id_of(result.message))
                    return
                async with self._write() as conn:
                    await outbox_repo.part_sent(conn, row.id, index, result.message.message_id)
                continue
            if result.outcome is Outcome.MIGRATED and not followed and result.new_chat_id:
                chats.add(result.new_chat_id)
                self._chats.add(result.new_chat_id)
                await self._follow(chat_id, result.new_chat_id)
                chat_id, followed = result.new_chat_id, True
                continue
            await self._failed_attempt(row, chat_id, result)
            return

    async def _failed_attempt(self, row: OutboxRow, chat_id: int, result: Attempt) -> None:
        error = result.error or result.outcome.value
        if result.outcome is Outcome.RETRY_AFTER:
            # Not counted: Telegram said when to try again. The pump leaves the chat (or, in
            # a flood, everything) aside until then.
            async with self._write() as conn:
                await outbox_repo.release(conn, row.id, error, counted=False)
            log.info("429 for chat %s: it waits %.1f s", chat_id, result.retry_after)
        elif result.outcome is Outcome.TRANSIENT and row.attempts < self.policy.max_attempts:
            async with self._write() as conn:
                await outbox_repo.release(conn, row.id, error, counted=True)
            delay = self.policy.backoff(row.attempts)
            self._resume_at = max(self._resume_at, self._now() + delay)
            log.warning("chat %s: %s; retry %d in %.1f s", chat_id, error, row.attempts, delay)
        elif result.outcome is Outcome.UNREACHABLE:
            await self._finish(row, State.UNREACHABLE, chat_id, None, error)
        else:
            log.warning("outbox %s to chat %s failed: %s", row.dedupe_key, chat_id, error)
            await self._finish(row, State.FAILED, chat_id, None, error)

    async def _follow(self, old: int, new: int) -> None:
        await follow_migration(self.db, self.clock, old, new)
        async with self._write() as conn:
            await outbox_repo.retarget(conn, old, new)
        self.wake()  # the rest of the old group's messages now go to the new id

    async def _finish(
        self, row: OutboxRow, state: State, chat_id: int, message_id: int | None,
        error: str | None = None, file_id: str | None = None,
    ) -> None:
        hooks = [hook for prefix, hook in self._hooks if row.batch.startswith(prefix)]
        async with self._write() as conn:
            progress, told = await finish_row(
                conn, self.texts, row, state, self.clock.now(), message_id=message_id,
                error=error, subscribed=bool(hooks))
        if told:
            self.wake()
        delivery = Delivery(
            row_id=row.id, batch=row.batch, dedupe_key=row.dedupe_key, chat_id=chat_id,
            state=state, message_id=message_id, error=error, tg_user_id=row.tg_user_id,
            block_id=row.block_id, progress=progress, file_id=file_id,
        )
        for hook in hooks:
            try:
                await hook(self.application, delivery)
            except Exception:
                log.exception("outbox hook for %s failed", row.batch)
