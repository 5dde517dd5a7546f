"""handlers.announce.live.request_refresh: how soon the chair's progress message and the
group counter are edited again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import SimpleNamespace

import pytest

from bot.runtime import RUNTIME_KEY
from bot.throttle import Spawn, Throttle
from handlers.announce.live import request_refresh


class RecordingThrottle(Throttle):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, float]] = []

    def request(self, spawn: Spawn | None, key: str, interval: float,
                action: Callable[[], Awaitable[None]]) -> None:
        self.requests.append((key, interval))


@pytest.mark.parametrize(("confirmed", "progress_every"), [(False, 0.5), (True, 4.0)])
def test_after_a_confirmation_the_progress_follows_the_counter(
    confirmed: bool, progress_every: float
) -> None:
    throttle = RecordingThrottle()
    runtime = SimpleNamespace(notice_edit_intervals=(4.0, 0.5), notice_edits=throttle)
    application = SimpleNamespace(bot_data={RUNTIME_KEY: runtime}, running=False)
    request_refresh(application, 7, counter=True, confirmed=confirmed)
    assert throttle.requests == [("progress:7", progress_every), ("counter:7", 4.0)]
