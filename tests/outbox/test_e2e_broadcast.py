"""A broadcast through the real bot and the emulator over an emulated round trip: at
Telegram's pace, each copy once, chats at their own limit retried alone, a flood waited out
by everyone (tests.benchmarks.broadcast's run, small)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.factory import OVERALL_MAX_RATE
from bot.outbox.pace import WINDOW
from bot.sandbox import BotApiEmulator
from tests.benchmarks.broadcast import FIRST_REP, LIMIT_SECONDS, Result, Run, one_run

pytestmark = pytest.mark.e2e

RECIPIENTS = 90
RTT = 0.1


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def exact(result: Result) -> bool:
    everyone = {FIRST_REP + i for i in range(1, RECIPIENTS + 1)}
    return set(result.copies) == everyone and max(result.copies.values()) == 1


async def test_a_broadcast_over_a_round_trip_goes_at_telegrams_pace(tmp_path: Path) -> None:
    result = await one_run(Run("plain", OVERALL_MAX_RATE, RTT, False), RECIPIENTS, tmp_path, 1)
    assert exact(result)
    ideal = RECIPIENTS / OVERALL_MAX_RATE
    # One message at a time would take a round trip each: 90 x 0.1 s and more.
    assert result.seconds < ideal * 1.25 + 1
    assert result.peak <= OVERALL_MAX_RATE + 10  # the emulator's clock jitters a little


async def test_chats_at_their_limit_wait_alone(tmp_path: Path) -> None:
    result = await one_run(Run("limited", OVERALL_MAX_RATE, RTT, True), RECIPIENTS, tmp_path, 2)
    assert exact(result)
    assert 1 <= result.refused <= 4  # each limited chat once or twice, nobody else
    assert result.seconds < RECIPIENTS / OVERALL_MAX_RATE * 1.25 + LIMIT_SECONDS[1] + 1


async def test_a_flood_is_waited_out_by_everyone(tmp_path: Path) -> None:
    def flood(emu: BotApiEmulator) -> None:
        emu.flood(1.5)  # Telegram says "retry after 2" to every call for 1.5 s

    result = await one_run(Run("flood", OVERALL_MAX_RATE, RTT, False), RECIPIENTS, tmp_path, 3,
                           prepare=flood)
    assert exact(result)
    # The first window's answers tell the bot it is flooded; it then stops asking.
    assert result.refused <= WINDOW + 2
    assert result.seconds >= 2
