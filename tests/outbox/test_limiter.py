"""The Pacer: requests side by side at an even overall pace, a group's own limit, and 429s
that pause their chat (or, in a flood, everything) instead of the whole bot each time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.outbox.attempt import FileIds, Outcome, send_part
from bot.outbox.limiter import OUTBOX, Pacer
from bot.outbox.pace import FLOOD_CHATS, OUTBOX_BURST
from bot.sandbox import BotApiEmulator


class Telegram:
    """A callback for process_request: answers after `delay`, refuses as scripted."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.refuse: dict[Any, list[float]] = {}  # chat -> retry_after of its next answers
        self.starts: list[tuple[float, Any]] = []
        self.in_flight = 0
        self.most = 0

    async def __call__(self, chat: Any) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        self.starts.append((loop.time(), chat))
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if self.refuse.get(chat):
                raise RetryAfter(timedelta(seconds=self.refuse[chat].pop(0)))
            return {"ok": chat}
        finally:
            self.in_flight -= 1


async def call(pacer: Pacer, api: Telegram, chat: Any, retries: int | None = None) -> Any:
    data = {} if chat is None else {"chat_id": chat}
    return await pacer.process_request(api, (chat,), {}, "sendMessage", data, retries)


def pacer(rate: float = 1000, group_rate: float = 20, retries: int = 3) -> Pacer:
    return Pacer(overall_max_rate=rate, group_max_rate=group_rate, group_time_period=60,
                 max_retries=retries)


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_the_outboxs_sends_go_side_by_side_at_an_even_pace() -> None:
    limiter, api = pacer(rate=10), Telegram(delay=0.1)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(*(call(limiter, api, chat, OUTBOX) for chat in range(1, 16)))
    took = loop.time() - start
    assert api.most >= 2  # a round trip each, several at once
    times = [at for at, _ in api.starts]
    assert all(sum(t <= at < t + 1 for at in times) <= 10 + OUTBOX_BURST for t in times)
    gaps = [b - a for a, b in zip(times[OUTBOX_BURST:], times[OUTBOX_BURST + 1:],
                                  strict=False)]
    assert min(gaps) >= 0.09  # after the first few, evenly spaced: no burst
    assert 1.1 <= took < 1.6  # 15 at 10/s plus a round trip, not 15 round trips


async def test_interactive_answers_may_take_a_seconds_worth_at_once() -> None:
    limiter, api = pacer(rate=10), Telegram()
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(*(call(limiter, api, chat) for chat in range(1, 11)))
    assert loop.time() - start < 0.05  # as PTB's bucket: ten at once
    await call(limiter, api, 11)
    assert loop.time() - start >= 0.09  # then at the rate


async def test_a_group_takes_at_most_its_share() -> None:
    limiter, api = pacer(group_rate=2), Telegram()
    await call(limiter, api, -100)
    await call(limiter, api, -100)
    assert limiter.full_groups() == {-100}
    waiting = asyncio.ensure_future(call(limiter, api, -100))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    assert await call(limiter, api, 5) == {"ok": 5}  # private chats are not held up
    waiting.cancel()


async def test_an_interactive_429_waits_for_its_chat_only() -> None:
    limiter, api = pacer(), Telegram()
    api.refuse[1] = [0.3]
    loop = asyncio.get_running_loop()
    start = loop.time()
    first = asyncio.ensure_future(call(limiter, api, 1))
    await asyncio.sleep(0.01)
    assert await call(limiter, api, 2) == {"ok": 2}
    assert loop.time() - start < 0.1  # chat 2 did not wait for chat 1's pause
    assert await first == {"ok": 1}
    assert loop.time() - start >= 0.3


async def test_the_outboxs_sends_get_their_429_back_at_once() -> None:
    limiter, api = pacer(), Telegram()
    api.refuse[1] = [2.0]
    with pytest.raises(RetryAfter):
        await call(limiter, api, 1, OUTBOX)
    loop = asyncio.get_running_loop()
    assert limiter.floods.ready_at(1) > loop.time() + 1.5
    assert limiter.floods.ready_at(2) <= loop.time()


async def test_a_flood_pauses_every_chat() -> None:
    limiter, api = pacer(), Telegram()
    for chat in range(1, FLOOD_CHATS + 1):
        api.refuse[chat] = [0.4]
    refused = await asyncio.gather(
        *(call(limiter, api, chat, OUTBOX) for chat in range(1, FLOOD_CHATS + 1)),
        return_exceptions=True)
    assert all(isinstance(r, RetryAfter) for r in refused)
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await call(limiter, api, 99) == {"ok": 99}  # never refused, yet it waited
    assert loop.time() - start >= 0.3


async def test_interactive_requests_go_before_queued_outbox_sends() -> None:
    limiter, api = pacer(rate=20), Telegram()
    outbox = [asyncio.ensure_future(call(limiter, api, chat, OUTBOX)) for chat in range(1, 13)]
    await asyncio.sleep(0.01)  # the first few went, the others wait for their turn
    loop = asyncio.get_running_loop()
    asked = loop.time()
    await call(limiter, api, 100)
    assert loop.time() - asked < 0.02  # the answer did not queue behind the broadcast
    await asyncio.gather(*outbox)
    starts = [at for at, _ in api.starts]
    # ... and the broadcast gave it its turn: 13 requests took 13 intervals at 20/s.
    assert starts[-1] - starts[0] >= (13 - OUTBOX_BURST) / 20 - 0.01


async def test_through_ptb_the_outboxs_429_comes_back_at_once() -> None:
    """rate_limit_args=OUTBOX reaches the Pacer through ExtBot (which drops falsy values)."""
    async with BotApiEmulator() as emu:
        emu.add_user(5, "An", started=True)
        emu.limit_chat(5, 3)
        async with ExtBot(emu.token, base_url=f"{emu.url}/bot",
                          rate_limiter=pacer()) as bot:
            loop = asyncio.get_running_loop()
            start = loop.time()
            result = await send_part(bot, 5, {"kind": "text", "text": "x"}, None, FileIds())
            assert result.outcome is Outcome.RETRY_AFTER and result.retry_after == 3
            assert loop.time() - start < 1  # not retried inside the limiter


async def test_a_429_about_no_chat_waits_before_its_retry() -> None:
    limiter, api = pacer(), Telegram()
    api.refuse[None] = [0.2]
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await call(limiter, api, None) == {"ok": None}
    assert loop.time() - start >= 0.2
