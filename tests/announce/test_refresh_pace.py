"""handlers.announce_live.request_refresh: how soon the chair's progress message and the
group counter are edited again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from bot.runtime import RUNTIME_KEY
from handlers.announce_live import INTERVALS_KEY, Throttle, request_refresh


class RecordingThrottle(Throttle):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, float]] = []

    def request(self, application: Any, key: str, interval: float,
                action: Callable[[], Awaitable[None]]) -> None:
        self.requests.append((key, interval))


@pytest.mark.parametrize(("confirmed", "progress_every"), [(False, 0.5), (True, 4.0)])
def test_after_a_confirmation_the_progress_follows_the_counter(
    confirmed: bool, progress_every: float
) -> None:
    throttle = RecordingThrottle()
    runtime = SimpleNamespace(extras={INTERVALS_KEY: (4.0, 0.5), "announce.throttle": throttle})
    application = SimpleNamespace(bot_data={RUNTIME_KEY: runtime})
    request_refresh(application, 7, counter=True, confirmed=confirmed)
    assert throttle.requests == [("progress:7", progress_every), ("counter:7", 4.0)]
