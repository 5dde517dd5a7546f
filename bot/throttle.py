"""Run an action at most once per interval per key, merging the requests in between."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], object]


class Throttle:
    """Requests for one key within its interval become one run at the interval's end, with
    the latest action: a notice's counter is edited once for many presses."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._pending: dict[str, Callable[[], Awaitable[None]]] = {}

    def request(self, spawn: Spawn | None, key: str, interval: float,
                action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` through `spawn` (a task starter; None: the application is not
        running, so nothing runs) no sooner than `interval` after this key's last run."""
        first = key not in self._pending
        self._pending[key] = action
        if not first:
            return
        if spawn is None:
            self._pending.pop(key, None)
            return
        spawn(self._run(key, interval))

    async def _run(self, key: str, interval: float) -> None:
        loop = asyncio.get_running_loop()
        wait = self._last.get(key, -math.inf) + interval - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        action = self._pending.pop(key)
        self._last[key] = loop.time()
        try:
            await action()
        except Exception:
            log.exception("throttled action %s failed", key)
