"""The bot's rate limiter: Telegram's limits for every request the bot makes, PTB's way.

PTB's AIORateLimiter is PTB's "minimal effort reference implementation": it lets requests
run concurrently, but any 429 halts every request of the bot, and it retries the refused
request itself, so the outbox would never learn that one chat asked it to wait. This one
(a telegram.ext.BaseRateLimiter, PTB's public interface for it) keeps its limits:

- 30 requests a second into chats (bot.outbox.pace.Pace): interactive answers may take a
  second's worth at once, as with PTB's bucket, while the outbox's sends go evenly (a
  broadcast through PTB's bucket would start with twice the rate in its first second) and
  give way to an answer; ~20 a minute into each group (PTB's bucket: 20 at once, then one
  every 3 s);
- a 429 pauses what it concerns (bot.outbox.pace.FloodWatch): the chat it came from, or the
  whole bot when several chats answer 429 together; requests wait out those pauses before
  they go, and an interactive request is retried up to `max_retries` times, as before;
- the outbox's own sends (rate_limit_args=OUTBOX) are not retried here, so the worker can
  put the row back and send to other chats meanwhile, and they give way to interactive
  answers at the overall pace.
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

from bot.outbox.pace import OUTBOX_BURST, Chat, FloodWatch, Pace

log = logging.getLogger(__name__)

# rate_limit_args of the outbox's sends: no retries here, and the outbox's even pace. Not 0:
# ExtBot passes on no falsy rate_limit_args (it would arrive as None, "the default").
OUTBOX = -1
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


class Pacer(BaseRateLimiter[int]):
    """`overall_max_rate` requests per second into chats (0: no limit), `group_max_rate`
    per `group_time_period` seconds into each group (0: no limit)."""

    def __init__(
        self, overall_max_rate: float, group_max_rate: float, group_time_period: float,
        max_retries: int,
    ) -> None:
        self._overall = Pace(overall_max_rate) if overall_max_rate > 0 else None
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
                if background:  # one outbox send waits for its turn at a time
                    async with self._background:
                        await self._overall.acquire(OUTBOX_BURST)
                else:
                    await self._overall.acquire(self._overall.per_second)
            if self.floods.ready_at(chat) <= loop.time():
                return
            # A pause began while this request waited for its turn: wait that out too.

    async def process_request(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
        data: dict[str, Any], rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Run one Bot API request at its turn; see the module docstring."""
        if rate_limit_args == OUTBOX:
            retries = 0
        else:
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
                if self.floods.ready_at(chat) <= loop.time():  # a request about no chat
                    await asyncio.sleep(seconds)
                continue
            except Exception:
                self.floods.answered(chat, loop.time())
                raise
            self.floods.answered(chat, loop.time())
            return result
