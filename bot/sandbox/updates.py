"""The pending-update queue: long polling (getUpdates) and webhook delivery.

Updates stay queued until confirmed, like on Telegram: by a later getUpdates ``offset`` or by a
2xx answer of the webhook.  Waiting is done on futures woken by :meth:`UpdateQueue.push`, so an
idle long poll costs nothing and a new update is handed out immediately.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

import httpx

from bot.sandbox.models import JSON, ApiError

# Types Telegram leaves out unless asked for explicitly in allowed_updates.
_OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    allowed_updates: list[str] | None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    attempts: list[tuple[int, bool]] = field(default_factory=list)  # (update_id, success)


class UpdateQueue:
    def __init__(self, now: Callable[[], float], on_change: Callable[[], None]) -> None:
        self._now = now
        self._on_change = on_change
        self._pending: deque[JSON] = deque()
        self._next_id = 1
        self._wakers: set[asyncio.Future[None]] = set()
        self._poll_generation = 0
        self._allowed: frozenset[str] | None = None
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self.webhook: Webhook | None = None
        self.closed = False

    def __len__(self) -> int:
        return len(self._pending)

    def pending(self) -> list[JSON]:
        return list(self._pending)

    def push(self, body: JSON, *, update_id: int | None = None) -> JSON | None:
        """Queues an update (``body`` without update_id); None when allowed_updates filters it.

        Filtering happens when the update is created, which is also what Telegram does: a new
        allowed_updates list only affects updates created after the call. ``update_id``
        (raw injection only) queues it under an id of the caller's choosing, e.g. an earlier
        one again, as Telegram does when it redelivers to a webhook.
        """
        kind = next(iter(body), "")
        if (kind not in self._allowed) if self._allowed else (kind in _OPT_IN_TYPES):
            return None
        if update_id is None:
            update_id = self._next_id
        self._next_id = max(self._next_id, update_id + 1)
        update = {"update_id": update_id, **body}
        self._pending.append(update)
        self.wake_all()
        self._on_change()
        return update

    def wake_all(self) -> None:
        """Wakes every sleeper (long polls, webhook delivery); they re-check their state."""
        for waker in self._wakers:
            if not waker.done():
                waker.set_result(None)
        self._wakers.clear()

    async def _sleep(self, seconds: float | None) -> None:
        """Sleeps until woken (push, close, new poll) or ``seconds`` elapsed."""
        waker: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._wakers.add(waker)
        try:
            async with asyncio.timeout(seconds):
                await waker
        except TimeoutError:
            pass
        finally:
            self._wakers.discard(waker)

    def set_allowed(self, allowed: list[str] | None) -> None:
        if allowed is not None:  # an empty list means "back to the default set"
            self._allowed = frozenset(allowed) or None

    def _confirm(self, offset: int) -> None:
        before = len(self._pending)
        if offset < 0:  # "-N": only the last N updates are kept, older ones are forgotten
            while len(self._pending) > -offset:
                self._pending.popleft()
        while offset > 0 and self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()
        if len(self._pending) != before:
            self._on_change()  # only real progress counts as activity (see wait_idle)

    async def get_updates(self, offset: int | None, limit: int, wait: float,
                          gone: Callable[[], bool]) -> list[JSON]:
        """getUpdates with long polling for up to ``wait`` seconds; ``gone()`` tells that the
        client closed its connection meanwhile."""
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        self._poll_generation += 1
        generation = self._poll_generation
        self.wake_all()  # an older long poll still waiting must now end with a 409
        if offset is not None:
            self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait, 0)
        while True:
            if self._pending:
                return list(islice(self._pending, max(1, min(limit, 100))))
            remaining = deadline - loop.time()
            if self.closed or gone() or remaining <= 0:
                return []
            await self._sleep(remaining)
            if self._poll_generation != generation and not gone():
                raise ApiError(409, _CONFLICT_POLL)

    def drop_pending(self) -> None:
        self._pending.clear()
        self._on_change()

    def reopen(self) -> None:
        self.closed = False

    def set_webhook(self, hook: Webhook) -> None:
        self.webhook = hook
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._deliver(), name="bot.sandbox webhook delivery"
            )
        self.wake_all()

    async def delete_webhook(self) -> None:
        self.webhook = None
        await self._stop_task()

    async def _stop_task(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        """Wakes every waiting long poll (they answer ``[]``) and stops webhook delivery."""
        self.closed = True
        self.wake_all()
        await self._stop_task()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _deliver(self) -> None:
        failures = 0
        while (hook := self.webhook) is not None and not self.closed:
            if not self._pending:
                await self._sleep(None)
                continue
            update = self._pending[0]
            error = await self._post(hook, update)
            hook.attempts.append((update["update_id"], error is None))
            if error is None:
                failures = 0
                hook.delivered += 1
                if self._pending and self._pending[0] is update:
                    self._pending.popleft()
                self._on_change()
                continue
            hook.last_error_date = int(self._now())
            hook.last_error_message = error
            failures += 1
            # Telegram retries failed deliveries with a growing pause; kept short for tests.
            await asyncio.sleep(min(0.05 * 2**failures, 1.0))

    async def _post(self, hook: Webhook, update: JSON) -> str | None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10.0)
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        try:
            answer = await self._client.post(
                hook.url, content=json.dumps(update, ensure_ascii=False).encode(), headers=headers
            )
        except httpx.HTTPError as exc:
            return f"Connection failed: {exc.__class__.__name__}"
        if 200 <= answer.status_code < 300:
            return None
        return f"Wrong response from the webhook: {answer.status_code} {answer.reason_phrase}"

    def webhook_info(self) -> JSON:
        hook = self.webhook
        info: JSON = {"url": "", "has_custom_certificate": False,
                      "pending_update_count": len(self._pending)}
        if hook is not None:
            info.update(url=hook.url, max_connections=hook.max_connections,
                        ip_address="127.0.0.1")
            if hook.allowed_updates:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info
