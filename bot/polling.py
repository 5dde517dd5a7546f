"""Paced polling: the bot does not ask Telegram for more updates while it still has a
backlog of updates to work through.

PTB's Updater calls getUpdates again the moment the previous call returns, whatever is
waiting in the update queue. Against a nearby server (or a busy minute) that is one
getUpdates round trip, JSON parse and all, per update: in the load benchmark (issue 8) a
fifth of the bot's CPU. Waiting until the queue is empty before the next long poll lets
the updates that arrived meanwhile come back in one batch. When the bot keeps up, the
queue is empty at every poll and nothing waits; the wait is capped, so a stuck handler
never stops updates from being fetched (or the final offset from being confirmed at stop).

Only the long-poll request is paced: it has a request object of its own in PTB
(get_updates_request), so answers and sends are never held back.

The same request lightens what it fetched before PTB turns it into objects (lighten): a
press carries the whole message pressed, and for a report form that is its text's every
entity and every button, ~0.3 ms of PTB objects per press that no handler reads.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bot.transport import JsonBodyRequest

# Longest wait for the backlog to drain before polling anyway.
MAX_BACKLOG_WAIT = 1.0
# Presses whose handlers draw their answer from the database and read of the pressed
# message only where it is (chat, message id, topic): the report form, the chair's
# appraisal, a notice's "received". A handler that needs the pressed message's formatting
# or keyboard (covenant_view reads the keyboard) must not be listed here.
LEAN_PRESSES = ("rp:", "rv:", "an:ack:")


class UpdateBacklog(asyncio.Queue[Any]):
    """The Application's update queue, able to say when it has been emptied."""

    def __init__(self) -> None:
        super().__init__()
        self._empty = asyncio.Event()
        self._empty.set()

    def _put(self, item: Any) -> None:
        super()._put(item)
        self._empty.clear()

    def _get(self) -> Any:
        item = super()._get()
        if self.empty():
            self._empty.set()
        return item

    async def drained(self, within: float = MAX_BACKLOG_WAIT) -> None:
        """Return once nothing is waiting in the queue, or after `within` seconds."""
        if self.empty():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._empty.wait(), within)


class PacedPollRequest(JsonBodyRequest):
    """The bot's getUpdates transport (HTTPX with JSON bodies, one connection, as PTB's
    default) that first lets the backlog drain."""

    def __init__(self, backlog: UpdateBacklog) -> None:
        super().__init__(connection_pool_size=1)
        self._backlog = backlog

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await self._backlog.drained()
        return await super().do_request(*args, **kwargs)

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's parsing (its documented hook), then every update lightened."""
        data = JsonBodyRequest.parse_json_payload(payload)
        updates = data.get("result")
        if isinstance(updates, list):
            for update in updates:
                lighten(update)
        return data


def lighten(update: Any) -> None:
    """Drop the formatting and keyboard of the message pressed, in a press listed in
    LEAN_PRESSES; anything else is left as Telegram sent it."""
    query = update.get("callback_query") if isinstance(update, dict) else None
    if not isinstance(query, dict):
        return
    data, message = query.get("data"), query.get("message")
    if isinstance(data, str) and data.startswith(LEAN_PRESSES) and isinstance(message, dict):
        for heavy in ("entities", "caption_entities", "reply_markup"):
            message.pop(heavy, None)
