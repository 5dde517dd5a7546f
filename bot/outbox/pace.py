"""How many sends the outbox keeps in flight, the overall pace, and how a 429 is read: one
chat's limit or a flood on the whole bot. Plain rules without Telegram types, shared by the
rate limiter (bot.outbox.limiter), which sees every answer, and the outbox worker, which
schedules rows.

Telegram answers a chat's own limit and a flood of the whole bot alike ("Too Many Requests:
retry after N", with only `retry_after` in its parameters), so the bot judges by what it
sees. A 429 pauses the chat it came from for `retry_after` seconds; the bot counts as
flooded, and everything pauses, when among its most recent answers (the last FLOOD_SAMPLE
of the last FLOOD_SPAN seconds) at least FLOOD_CHATS different chats answered 429 and the
429s are at least half of those answers. A chat at its own limit answers 429 alone while the
others keep answering; a flood answers 429 to every request in flight at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import NamedTuple

# Requests the outbox keeps in flight at once. At Telegram's 30 messages/s, a round trip of
# 100-500 ms (50-150 ms of network plus Telegram's own time to answer) needs 3-15 requests
# in flight to keep the pace; 16 covers the slowest of those. It also bounds the duplicates
# after a crash: each request in flight may have reached Telegram without its answer
# reaching the bot, and is sent again on restart.
WINDOW = 16

# See the module docstring. The sample is one window's worth of answers: a flood turns all
# of them into 429s within one round trip, while chats at their own limit (a few in a
# hundred) never make up half of it.
FLOOD_SAMPLE = WINDOW
FLOOD_SPAN = 5.0  # seconds; older answers say nothing about the bot's state now
FLOOD_CHATS = 3

# How far ahead of the overall schedule the outbox's sends may go: a tenth of a second's worth
# at 30/s, enough to make up for a moment the bot lost (a slow commit) without a burst.
OUTBOX_BURST = 3

Chat = int | str | None  # a chat id or @username; None for a request about no chat


class Pace:
    """`rate` requests a second on one schedule shared by all (GCRA, the "virtual scheduling"
    form of a leaky bucket): a request may go while the schedule is less than `burst`
    intervals ahead of now, and moves it one interval on. Interactive answers may take a
    second's worth at once, as PTB's bucket allows; the outbox's sends (OUTBOX_BURST) go
    evenly, and an answer that takes a turn during a broadcast pushes them back, so the two
    together stay at `rate` and an answer never waits behind the broadcast."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate
        self.per_second = max(1, round(rate))
        self._due = 0.0  # the schedule: when the next request is due (the event loop's clock)

    def delay(self, now: float, burst: int) -> float:
        """Seconds until a request allowed `burst` may go (0: now)."""
        return max(0.0, self._due - now - (burst - 1) * self.interval)

    def take(self, now: float) -> None:
        self._due = max(self._due, now) + self.interval

    async def acquire(self, burst: int) -> None:
        loop = asyncio.get_running_loop()
        # A timed wait, looked at again: an answer may have taken the turn meanwhile.
        while (wait := self.delay(loop.time(), burst)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        self.take(loop.time())


class Answer(NamedTuple):
    at: float
    chat: Chat
    limited: bool  # a 429


class FloodWatch:
    """Who Telegram asked to wait, and until when (times are the event loop's clock)."""

    def __init__(self) -> None:
        self._answers: deque[Answer] = deque(maxlen=FLOOD_SAMPLE)
        self._chats: dict[Chat, float] = {}  # chat -> end of its pause
        self.flood_until = 0.0  # end of the pause of the whole bot

    def answered(self, chat: Chat, now: float) -> None:
        """Telegram answered a request about `chat` with anything but a 429."""
        self._answers.append(Answer(now, chat, False))

    def note(self, chat: Chat, retry_after: float | None, now: float) -> None:
        """An answer: a 429 asking to wait `retry_after` seconds, or (None) anything else."""
        if retry_after is None:
            self.answered(chat, now)
        else:
            self.limited(chat, retry_after, now)

    def limited(self, chat: Chat, seconds: float, now: float) -> bool:
        """Telegram answered 429 with `retry_after` = `seconds`; True if the whole bot is
        flooded (everything pauses), False if only this chat pauses."""
        self._answers.append(Answer(now, chat, True))
        until = now + seconds
        if chat is not None:
            self._chats[chat] = max(self._chats.get(chat, 0.0), until)
        if not self._flooded(now):
            return False
        self.flood_until = max(self.flood_until, until)
        return True

    def _flooded(self, now: float) -> bool:
        recent = [a for a in self._answers if now - a.at <= FLOOD_SPAN]
        limited = [a for a in recent if a.limited]
        return len({a.chat for a in limited}) >= FLOOD_CHATS and 2 * len(limited) >= len(recent)

    def ready_at(self, chat: Chat) -> float:
        """When a request about `chat` may go (in the past when it may go now)."""
        return max(self.flood_until, self._chats.get(chat, 0.0))

    def next_end(self, now: float) -> float | None:
        """The end of the next pause still to come, if any."""
        ends = [t for t in (self.flood_until, *self._chats.values()) if t > now]
        return min(ends, default=None)

    def paused_chats(self, now: float) -> set[Chat]:
        """The chats waiting out their own 429 now (forgetting the pauses that ended)."""
        ended = [chat for chat, until in self._chats.items() if until <= now]
        for chat in ended:
            del self._chats[chat]
        return set(self._chats)
