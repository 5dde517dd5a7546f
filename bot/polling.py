"""Paced polling: the bot does not ask Telegram for more updates while it still has a
backlog of updates to work through.

PTB's Updater calls getUpdates again the moment the previous call returns, whatever is
waiting in the update queue. Against a nearby server (or a busy minute) that is one
getUpdates round trip, JSON parse and all, per update. Waiting until every update taken
from the queue has been processed (asyncio.Queue.join: PTB marks each one done) before the
next long poll lets the updates that arrived meanwhile come back in one batch. When the
bot keeps up, nothing is unfinished at a poll and nothing waits; the wait is capped, so a
stuck handler never stops updates from being fetched (or the final offset from being
confirmed at stop).

Only the long-poll request is paced: it has a request object of its own in PTB
(get_updates_request), so answers and sends are never held back.

The same request reads its answer update by update (parse_json_payload, PTB's documented
hook for reading the answer another way): an update the library cannot build is replaced by
its bare id, counted and logged once (bot.incoming), so it cannot stop the updates after it.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from telegram.request import HTTPXRequest

from bot.incoming import screened
from bot.unreadable import UnreadableUpdates

# Longest wait for the backlog to drain before polling anyway.
MAX_BACKLOG_WAIT = 1.0


async def drained(queue: asyncio.Queue[Any], within: float = MAX_BACKLOG_WAIT) -> None:
    """Return once every update put on `queue` has been processed, or after `within` s."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(queue.join(), within)


class PacedPollRequest(HTTPXRequest):
    """The bot's getUpdates transport (PTB's HTTPX request with one connection, as PTB's
    default for getUpdates) that first lets the application's update queue drain, and
    skips the updates the library cannot build (counted in `unreadable`)."""

    def __init__(self, queue: asyncio.Queue[Any],
                 unreadable: UnreadableUpdates | None = None) -> None:
        super().__init__(connection_pool_size=1)
        self.queue = queue
        self.unreadable = unreadable if unreadable is not None else UnreadableUpdates()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await drained(self.queue)
        return await super().do_request(*args, **kwargs)

    # PTB declares the hook static but calls it on the request (self.parse_json_payload):
    # an instance method here reaches the request's count of skipped updates.
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        answer = super().parse_json_payload(payload)
        result = answer.get("result") if isinstance(answer, dict) else None
        if isinstance(result, list):
            answer["result"] = screened(result, self.unreadable, via="getUpdates")
        return answer
