"""The outbox worker: drains the outbox lane by lane through the bot's rate limiter.

Lanes: every private chat shares one lane and each group has its own, so a group waiting
out its 20-messages-a-minute limit never holds up the representatives' copies. Inside a lane
exactly one message is in flight, in the order it was enqueued: after a crash at most that
one message is sent twice, and nobody is skipped.

No task runs while the outbox is empty: wake() scans for lanes with work and starts a task
per lane, which stops when its lane is empty. While the application runs, the tasks go
through Application.create_task, so Application.stop() waits for them; a lane finishes the
message in flight and then stops as soon as the application is no longer running.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from telegram import Bot

from bot.buttons import from_json
from bot.markup import inline_markup
from bot.outbox import notices
from bot.outbox.attempt import Attempt, Outcome, file_id_of, send_part
from bot.outbox.model import Delivery, Hook, Policy, Progress, State
from bot.runtime import Runtime
from bot.services.registration.group import follow_migration
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

PAUSE_SLICE = 0.2  # seconds; how quickly a pause notices that the application stops


class Outbox:
    def __init__(
        self, runtime: Runtime, bot: Bot, *, policy: Policy | None = None, application: Any = None
    ) -> None:
        self.runtime = runtime
        self.bot = bot
        self.policy = policy or Policy()
        self.application = application
        self._hooks: list[tuple[str, Hook]] = []
        self._lanes: set[int] = set()
        self._own_tasks: set[asyncio.Task[None]] = set()
        self._files: dict[str, str] = {}  # local path -> Telegram file_id once uploaded
        self._generation = 0
        self._scanning = False
        self._closed = False
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
        if self._scanning or not self._accepting():
            return
        self._scanning = True
        self._idle.clear()
        self._spawn(self._scan(), "outbox-scan")

    @property
    def busy(self) -> bool:
        return bool(self._lanes) or self._scanning

    async def close(self) -> None:
        """Stop taking work and wait for the tasks this outbox started itself."""
        self._closed = True
        while self._own_tasks:
            await asyncio.gather(*list(self._own_tasks), return_exceptions=True)

    async def idle(self) -> None:
        """Wait until no lane has work left (tests and the benchmark)."""
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

    async def _scan(self) -> None:
        try:
            while self._accepting():
                seen = self._generation
                async with self.runtime.db.read() as conn:
                    lanes = await outbox_repo.lanes_with_work(conn)
                for lane in lanes:
                    if lane not in self._lanes:
                        self._lanes.add(lane)
                        self._idle.clear()
                        self._spawn(self._lane(lane), f"outbox-lane-{lane}")
                if seen == self._generation:
                    break
        finally:
            self._scanning = False
            self._settle()

    async def _lane(self, lane: int) -> None:
        try:
            while self._accepting():
                seen = self._generation
                async with self.runtime.db.transaction() as conn:
                    row = await outbox_repo.claim_next(conn, lane, self.runtime.clock.now())
                if row is None:
                    if seen != self._generation:
                        continue  # something was enqueued while we looked
                    break
                await self._deliver(row)
        except Exception:
            log.exception("outbox lane %s stopped; the next wake-up resumes it", lane)
        finally:
            self._lanes.discard(lane)
            self._settle()

    async def _pause(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        # Polled, not awaited on an event: PTB offers none for "the application is stopping".
        while self._accepting() and (left := until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(min(PAUSE_SLICE, left))

    async def _deliver(self, row: OutboxRow) -> None:
        markup = inline_markup(from_json(row.reply_markup))
        chat_id = row.chat_id
        index = row.parts_sent
        followed = False
        while index < len(row.parts):
            last = index == len(row.parts) - 1
            result = await send_part(
                self.bot, chat_id, row.parts[index], markup if last else None, self._files
            )
            if result.outcome is Outcome.SENT:
                assert result.message is not None
                index += 1
                if last:
                    await self._finish(row, State.SENT, chat_id, result.message.message_id,
                                       file_id=file_id_of(result.message))
                    return
                async with self.runtime.db.transaction() as conn:
                    await outbox_repo.part_sent(conn, row.id, index, result.message.message_id)
                continue
            if result.outcome is Outcome.MIGRATED and not followed and result.new_chat_id:
                await self._follow(chat_id, result.new_chat_id)
                chat_id, followed = result.new_chat_id, True
                continue
            await self._failed_attempt(row, chat_id, result)
            return

    async def _failed_attempt(self, row: OutboxRow, chat_id: int, result: Attempt) -> None:
        error = result.error or result.outcome.value
        if result.outcome is Outcome.RETRY_AFTER:
            async with self.runtime.db.transaction() as conn:
                await outbox_repo.release(conn, row.id, error, counted=False)
            log.info("429 for chat %s: waiting %.1f s", chat_id, result.retry_after)
            await self._pause(result.retry_after)
        elif result.outcome is Outcome.TRANSIENT and row.attempts < self.policy.max_attempts:
            async with self.runtime.db.transaction() as conn:
                await outbox_repo.release(conn, row.id, error, counted=True)
            delay = self.policy.backoff(row.attempts)
            log.warning("chat %s: %s; retry %d in %.1f s", chat_id, error, row.attempts, delay)
            await self._pause(delay)
        elif result.outcome is Outcome.UNREACHABLE:
            await self._finish(row, State.UNREACHABLE, chat_id, None, error)
        else:
            log.warning("outbox %s to chat %s failed: %s", row.dedupe_key, chat_id, error)
            await self._finish(row, State.FAILED, chat_id, None, error)

    async def _follow(self, old: int, new: int) -> None:
        runtime = self.runtime
        await follow_migration(runtime.db, runtime.clock, old, new)
        async with runtime.db.transaction() as conn:
            await outbox_repo.retarget(conn, old, new)
        self.wake()  # the rest of the old group's lane now lives under the new id

    async def _finish(
        self, row: OutboxRow, state: State, chat_id: int, message_id: int | None,
        error: str | None = None, file_id: str | None = None,
    ) -> None:
        runtime = self.runtime
        now = runtime.clock.now()
        hooks = [hook for prefix, hook in self._hooks if row.batch.startswith(prefix)]
        told = 0
        async with runtime.db.transaction() as conn:
            await outbox_repo.finish(conn, row.id, state, now, message_id=message_id, error=error)
            if (
                state is State.UNREACHABLE
                and row.tg_user_id is not None
                and await members_repo.mark_unreachable(conn, row.tg_user_id, now)
            ):
                told += await notices.tell_unreachable(conn, runtime, row, now)
            counts = await outbox_repo.batch_counts(conn, row.batch)
            progress = Progress(
                batch=row.batch, total=sum(counts.values()), sent=counts.get(State.SENT, 0),
                failed=counts.get(State.FAILED, 0),
                unreachable=counts.get(State.UNREACHABLE, 0),
            )
            if progress.finished and progress.failed and not hooks:
                told += await notices.tell_failures(conn, runtime, row, now)
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
