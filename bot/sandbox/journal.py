"""The record of API calls and the async waits tests use to synchronise with the bot.

Waiting never polls on a timer: every change (a finished call, a queued or confirmed update)
sets an :class:`asyncio.Event` that is then replaced, and each waiter re-checks only what was
appended since its last look, so long benchmark runs stay linear.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from bot.sandbox.models import ApiCall, Mark, SentMessage
from bot.sandbox.state import World

T = TypeVar("T")
CallPredicate = Callable[[ApiCall], bool]


class WaitTimeout(AssertionError):
    """A wait_* helper gave up; the message lists the most recent calls for diagnosis."""


class Journal:
    def __init__(self, world: World) -> None:
        self.world = world
        self.calls: list[ApiCall] = []
        self._changed = asyncio.Event()
        self._busy = 0  # requests being served, long polls excluded
        self._open = 0  # requests being served, long polls included
        self._last_activity = 0.0  # loop time of the last non-poll request start/end

    # -- recording (called by the HTTP handlers) ------------------------------------------
    def _loop_time(self) -> float:
        try:
            return asyncio.get_running_loop().time()
        except RuntimeError:  # synchronous use outside a loop (e.g. building fixtures)
            return 0.0

    def notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def begin(self, long_poll: bool) -> None:
        self._open += 1
        if not long_poll:
            self._busy += 1
            self._last_activity = self._loop_time()

    def end(self, long_poll: bool, call: ApiCall) -> None:
        self._open -= 1
        if not long_poll:
            self._busy -= 1
            self._last_activity = self._loop_time()
        call.seq = len(self.calls) + 1
        self.calls.append(call)
        self.notify()

    def touch(self) -> None:
        """An update was queued/confirmed: counts as activity for wait_idle."""
        self._last_activity = self._loop_time()
        self.notify()

    async def wait_no_open_requests(self, wait: float) -> None:
        await self._until(lambda: True if self._open == 0 else None, wait, "requests to end")

    def mark(self) -> Mark:
        return Mark(calls=len(self.calls), sent=len(self.world.sent))

    # -- waiting -------------------------------------------------------------------------
    async def _until(self, check: Callable[[], T | None], wait: float, what: str) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            changed = self._changed  # taken before checking, so no wake-up can be missed
            found = check()
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeout(f"timed out after {wait:g}s waiting for {what}\n{self.dump()}")
            try:
                async with asyncio.timeout(remaining):
                    await changed.wait()
            except TimeoutError:
                pass

    def dump(self, last: int = 25) -> str:
        recent = self.calls[-last:]
        lines = [f"  {call.summary()}" for call in recent] or ["  (no API calls at all)"]
        pending = len(self.world.updates)
        return f"last {len(recent)} of {len(self.calls)} calls ({pending} updates pending):\n" + (
            "\n".join(lines)
        )

    async def wait_for_calls(self, method: str, *, count: int = 1, chat_id: int | None = None,
                             predicate: CallPredicate | None = None,
                             after: Mark | int | None = None, ok: bool | None = None,
                             wait: float = 10.0) -> list[ApiCall]:
        start = after.calls if isinstance(after, Mark) else (after or 0)
        wanted = method.lower()
        found: list[ApiCall] = []
        cursor = start

        def check() -> list[ApiCall] | None:
            nonlocal cursor
            while cursor < len(self.calls):
                call = self.calls[cursor]
                cursor += 1
                if (call.method.lower() == wanted and (chat_id is None or call.chat_id == chat_id)
                        and (ok is None or call.ok == ok)
                        and (predicate is None or predicate(call))):
                    found.append(call)
            return found if len(found) >= count else None

        where = f" to chat {chat_id}" if chat_id is not None else ""
        return await self._until(check, wait, f"{count}x {method}{where} after call #{start}")

    async def wait_for_messages(self, chat_id: int | None = None, *, count: int = 1,
                                after: Mark | int | None = None,
                                predicate: Callable[[SentMessage], bool] | None = None,
                                wait: float = 10.0) -> list[SentMessage]:
        start = after.sent if isinstance(after, Mark) else (after or 0)
        found: list[SentMessage] = []
        cursor = start

        def check() -> list[SentMessage] | None:
            nonlocal cursor
            sent = self.world.sent
            while cursor < len(sent):
                message = sent[cursor]
                cursor += 1
                if (chat_id is None or message.chat_id == chat_id) and (
                        predicate is None or predicate(message)):
                    found.append(message)
            return found if len(found) >= count else None

        where = f" in chat {chat_id}" if chat_id is not None else ""
        return await self._until(check, wait, f"{count} bot message(s){where}")

    async def wait_idle(self, quiet: float, wait: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait

        def nothing_pending() -> bool | None:
            return True if not self._busy and not len(self.world.updates) else None

        while True:
            await self._until(nothing_pending, max(deadline - loop.time(), 0),
                              "the bot to go idle")
            remaining_quiet = self._last_activity + quiet - loop.time()
            if remaining_quiet <= 0:
                return
            if loop.time() + remaining_quiet > deadline:
                raise WaitTimeout(f"the bot did not stay quiet for {quiet:g}s within {wait:g}s\n"
                                  f"{self.dump()}")
            # Sleep through the rest of the quiet period, then re-check: any request or update
            # meanwhile moved _last_activity forward.
            await asyncio.sleep(remaining_quiet)
