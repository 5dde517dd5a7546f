"""The network between the bot and the emulated Telegram, and Telegram's flood limits.

- ``rtt``: every Bot API call is answered one round trip later (half on the way there,
  before the method runs, half on the way back), without holding up the other calls, as
  over a real link to Telegram (50-150 ms). A client killed meanwhile has still had its
  request carried out, as Telegram would.
- ``limit_chat(chat_id, seconds)``: that chat's next send starts a limit of ``seconds``;
  it and every send to the chat until the limit ends answer 429 with the seconds left
  (``retry_after``, rounded up as Telegram does), while other chats answer as usual;
  ``history`` lists each limit as it started (chat, start, end).
- ``flood(seconds)``: a flood on the whole bot: every call but getUpdates answers 429 until
  it ends.

Off by default: answers come at once and nothing is limited. Times are the event loop's.
"""

from __future__ import annotations

import asyncio
import math

from bot.sandbox.models import ApiError

# The calls a chat's limit applies to: what puts something into the chat.
_SENDS = ("sendmessage", "sendphoto", "senddocument", "sendchataction", "forwardmessage",
          "copymessage", "sendmediagroup")


def too_many_requests(seconds: float) -> ApiError:
    wait = max(1, math.ceil(seconds))
    return ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})


class Link:
    def __init__(self, rtt: float = 0.0) -> None:
        self.rtt = rtt
        self._armed: dict[int | str, float] = {}  # chat -> seconds, from its next send
        self._limited: dict[int | str, float] = {}  # chat -> end of its limit
        self._flood_until = 0.0
        self.history: list[tuple[int | str, float, float]] = []  # chat, limit's start, end

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    async def travel(self) -> None:
        """Half a round trip (there, or back)."""
        if self.rtt > 0:
            await asyncio.sleep(self.rtt / 2)

    def limit_chat(self, chat_id: int | str, seconds: float) -> None:
        self._armed[chat_id] = seconds

    def flood(self, seconds: float) -> None:
        self._flood_until = self._now() + seconds

    def refusal(self, method: str, chat_id: int | str | None) -> ApiError | None:
        """The 429 this call gets, if a limit applies to it now."""
        if not self._armed and not self._limited and not self._flood_until:
            return None  # the common case
        now = self._now()
        if method != "getUpdates" and self._flood_until > now:
            return too_many_requests(self._flood_until - now)
        if chat_id is None or method.lower() not in _SENDS:
            return None
        if chat_id in self._armed:
            self._limited[chat_id] = now + self._armed.pop(chat_id)
            self.history.append((chat_id, now, self._limited[chat_id]))
        until = self._limited.get(chat_id)
        if until is None:
            return None
        if until <= now:
            del self._limited[chat_id]
            return None
        return too_many_requests(until - now)
