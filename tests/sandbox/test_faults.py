"""Injected faults surface in python-telegram-bot as the exceptions real outages produce."""

from __future__ import annotations

import datetime as dtm

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.sandbox import BotApiEmulator


async def test_faults_map_to_ptb_errors(bot: Bot, emu: BotApiEmulator,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Without this PTB 22 warns (an error here) when RetryAfter.retry_after is read as an int.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emu.add_user(5, "An", started=True)
    emu.inject_fault("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(5, "x")
    assert flood.value.retry_after == dtm.timedelta(seconds=7)

    emu.inject_fault("sendMessage", "403")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(5, "x")
    emu.inject_fault("sendMessage", "400", description="Bad Request: chat is deactivated")
    with pytest.raises(BadRequest, match=r"(?i)chat is deactivated"):
        await bot.send_message(5, "x")
    emu.inject_fault("sendMessage", "502")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(5, "x")
    emu.inject_fault("sendMessage", "drop")
    with pytest.raises(NetworkError):
        await bot.send_message(5, "x")

    # Faults are consumed: the next call goes through and nothing failed was stored.
    assert (await bot.send_message(5, "ok")).message_id == 1
    faults = [(c.status, c.fault) for c in emu.calls if c.method == "sendMessage"]
    assert faults == [(429, "429"), (403, "403"), (400, "400"), (502, "502"), (0, "drop"),
                      (200, None)]


async def test_fault_scoping(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    emu.add_user(6, "Bình", started=True)
    emu.inject_fault("sendMessage", "403", chat_id=6, times=2)
    await bot.send_message(5, "vẫn tới")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(6, "x")
    await bot.send_message(6, "giờ thì tới")
    emu.inject_fault("*", "400")
    with pytest.raises(BadRequest):
        await bot.get_me()
    await bot.get_me()
