"""The emulated link: a round trip per answer without holding up other calls, chats at their
own limit (429 with the seconds left), a flood on the whole bot; all off by default."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

from bot.sandbox import BotApiEmulator


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def wide_bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A Bot with several connections, so that its calls can be in flight together."""
    async with Bot(emu.token, base_url=f"{emu.url}/bot",
                   request=HTTPXRequest(connection_pool_size=8)) as real_bot:
        yield real_bot


async def test_each_answer_takes_a_round_trip_and_calls_overlap(
    emu: BotApiEmulator, wide_bot: Bot
) -> None:
    for uid in range(1, 9):
        emu.add_user(uid, f"U{uid}", started=True)
    await wide_bot.get_me()  # open a connection first
    emu.rtt = 0.2
    loop = asyncio.get_running_loop()
    start = loop.time()
    await wide_bot.send_message(1, "một")
    assert loop.time() - start >= 0.2
    start = loop.time()
    await asyncio.gather(*(wide_bot.send_message(uid, "cùng lúc") for uid in range(1, 9)))
    assert loop.time() - start < 0.2 * 3  # side by side, not eight round trips


async def test_no_round_trip_by_default(emu: BotApiEmulator, bot: Bot) -> None:
    assert emu.rtt == 0.0
    emu.add_user(1, "An", started=True)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(5):
        await bot.send_message(1, "nhanh")
    assert loop.time() - start < 0.5


async def test_a_limited_chat_answers_429_until_its_limit_ends(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_user(1, "An", started=True)
    emu.add_user(2, "Bình", started=True)
    emu.limit_chat(1, 0.6)
    with pytest.raises(RetryAfter) as first:
        await bot.send_message(1, "x")
    assert first.value.retry_after == dtm.timedelta(seconds=1)  # rounded up, as Telegram does
    assert (await bot.send_message(2, "y")).chat.id == 2  # others answer as usual
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "x")
    await asyncio.sleep(0.65)
    assert (await bot.send_message(1, "x")).chat.id == 1
    refused = [c for c in emu.calls if c.fault == "429"]
    assert [(c.chat_id, c.status) for c in refused] == [(1, 429), (1, 429)]
    assert [m.chat_id for m in emu.sent_messages()] == [2, 1]


async def test_a_flood_refuses_every_call_until_it_ends(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_user(1, "An", started=True)
    emu.flood(3)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(1, "x")
    assert refused.value.retry_after == dtm.timedelta(seconds=3)
    with pytest.raises(RetryAfter):
        await bot.get_me()
    assert await bot.get_updates(timeout=0) == ()  # polling goes on
    emu.flood(0)
    assert (await bot.send_message(1, "x")).chat.id == 1
