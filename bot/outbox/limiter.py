"""The bot's rate limiter: Telegram's limits for every request the bot makes, PTB's way.

PTB's AIORateLimiter is PTB's "minimal effort reference implementation": it lets requests
run concurrently, but any 429 halts every request of the bot, and it retries the refused
request itself, so the outbox would never learn that one chat asked it to wait. This one
(a telegram.ext.BaseRateLimiter, PTB's public interface for it) keeps its limits:

- 30 requests a second into chats, evenly spaced and never more than 30 in any one second
  (no burst at the start of a broadcast), and ~20 a minute into each group (PTB's bucket:
  20 at once, then one every 3 s);
- a 429 pauses what it concerns (bot.outbox.pace.FloodWatch): the chat it came from, or the
  whole bot when several chats answer 429 together; requests wait out those pauses before
  they go, and an interactive request is retried up to `max_retries` times, as before;
- the outbox's own sends (rate_limit_args=OUTBOX) are not retried here, so the worker can
  put the row back and send to other chats meanwhile, and they take their turn behind the
  interactive answers: at most one of them waits for the overall pace at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.outbox.pace import Chat, FloodWatch, PerSecond

log = logging.getLogger(__name__)

OUTBOX = 0  # rate_limit_args of the outbox's sends: no retries here, behind interactive ones
# Requests that may go at once after a pause of the overall pace: a sixth of a second's worth.
OVERALL_BURST = 5
_MAX_GROUPS = 512  # group buckets kept before the idle ones are dropped (as PTB does)

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asks to wait: a timedelta, as bot/__init__ opts PTB 22 into
    (PTB_TIMEDELTA), so reading it warns of no deprecated int."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def chat_of(data: dict[str, Any]) -> Chat:
    chat = data.get("chat_id")
    if chat is None:
        return None
    with contextlib.suppress(ValueError, TypeError):
        return int(chat)
    return str(chat)


def is_group(chat: Chat) -> bool:
    """Groups and channels: negative ids and @usernames (private chats are positive)."""
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)


class _Overall:
    """Evenly spaced, `rate` a second, with a bucket of OVERALL_BURST to make up for a
    moment the bot lost (a slow commit, a busy loop), and never more than `rate` in any
    one second (PerSecond: Telegram's rule as it states it)."""

    def __init__(self, rate: float) -> None:
        self._even = AsyncLimiter(OVERALL_BURST, OVERALL_BURST / rate)
        self._cap = PerSecond(round(rate))

    async def acquire(self) -> None:
        await self._even.acquire()
        await self._cap.acquire()


class Pacer(BaseRateLimiter[int]):
    """`overall_max_rate` requests per second into chats (0: no limit), `group_max_rate`
    per `group_time_period` seconds into each group (0: no limit)."""

    def __init__(
        self, overall_max_rate: float, group_max_rate: float, group_time_period: float,
        max_retries: int,
    ) -> None:
        self._overall = _Overall(overall_max_rate) if overall_max_rate >= 1 else None
        self._group_rate = group_max_rate
        self._group_period = group_time_period
        self._groups: dict[Chat, AsyncLimiter] = {}
        self._background = asyncio.Lock()
        self.max_retries = max_retries
        self.floods = FloodWatch()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def full_groups(self) -> set[Chat]:
        """Groups that may not take one more message now (the outbox sends elsewhere)."""
        return {chat for chat, bucket in self._groups.items() if not bucket.has_capacity()}

    def _group(self, chat: Chat) -> AsyncLimiter | None:
        if not (self._group_rate > 0 and self._group_period > 0 and is_group(chat)):
            return None
        if chat not in self._groups and len(self._groups) > _MAX_GROUPS:
            for key in [k for k, b in self._groups.items() if b.has_capacity(b.max_rate)]:
                del self._groups[key]
        bucket = self._groups.get(chat)
        if bucket is None:
            bucket = self._groups[chat] = AsyncLimiter(self._group_rate, self._group_period)
        return bucket

    async def _turn(self, chat: Chat, background: bool) -> None:
        """Wait until a request about `chat` may go: no pause on it, its group's and the
        overall pace allow it."""
        loop = asyncio.get_running_loop()
        while True:
            wait = self.floods.ready_at(chat) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            group = self._group(chat)
            if group is not None:
                await group.acquire()
            if self._overall is not None and chat is not None:
                if background:
                    async with self._background:
                        await self._overall.acquire()
                else:
                    await self._overall.acquire()
            if self.floods.ready_at(chat) <= loop.time():
                return
            # A pause began while this request waited for its turn: wait that out too.

    async def process_request(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
        data: dict[str, Any], rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Run one Bot API request at its turn; see the module docstring."""
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        chat = chat_of(data)
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            await self._turn(chat, background=rate_limit_args == OUTBOX)
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                if self.floods.limited(chat, seconds, loop.time()):
                    log.warning("429s from several chats: every send waits %.1f s", seconds)
                else:
                    log.info("429 for chat %s (%s): it waits %.1f s", chat, endpoint, seconds)
                if attempt >= retries:
                    raise
                attempt += 1
                continue
            except Exception:
                self.floods.answered(chat, loop.time())
                raise
            self.floods.answered(chat, loop.time())
            return result
