"""A press whose handler fails still stops the phone's spinner: the error handler answers
it with the apology (issue 17.3, "every press answered")."""

from __future__ import annotations

import pytest

import handlers.report as report_handlers
from tests.e2e.harness import BotHarness

pytestmark = pytest.mark.e2e


async def test_a_press_whose_handler_raises_is_answered_with_the_apology(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    member = await h.register("BBT")
    status = await h.say(member, "/status")

    async def broken(*_: object) -> None:
        raise RuntimeError("a bug in a press handler")

    monkeypatch.setattr(report_handlers, "_route", broken)
    await h.press(member, status, "rp:o:1")
    await h.emu.wait_idle(quiet=0.1)
    answer = h.emu.callback_answers()[-1]
    assert answer.data == "rp:o:1"
    assert "Rất tiếc, đã có lỗi" in (answer.text or "")
    assert not h.emu.world.queries  # nothing left spinning
    assert list(h.runtime.failed_updates) == ["RuntimeError"]
