"""Injected failures: the next N calls of a method (optionally for one chat) fail on purpose.

Faults are checked before the method runs, so a failed call changes nothing, exactly like a
request Telegram rejected; the bot's retry/backoff logic can then be tested deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.sandbox.models import ApiError, FaultKind

_DEFAULT_TEXT = {
    "400": "Bad Request: injected fault",
    "403": "Forbidden: bot was blocked by the user",
}
BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


@dataclass
class Fault:
    kind: FaultKind
    remaining: int
    chat_id: int | str | None
    retry_after: int
    description: str | None

    def error(self) -> ApiError:
        """The JSON error answer for 4xx kinds (502 and drop are handled by the server)."""
        if self.kind == "429":
            return ApiError(429, self.description or
                            f"Too Many Requests: retry after {self.retry_after}",
                            {"retry_after": self.retry_after})
        return ApiError(int(self.kind), self.description or _DEFAULT_TEXT[self.kind])


class FaultPlan:
    def __init__(self) -> None:
        self._by_method: dict[str, list[Fault]] = {}  # lowercase method ("*" = any)
        self.fired: list[tuple[str, FaultKind]] = []

    def add(self, method: str, kind: FaultKind, *, times: int, retry_after: int,
            chat_id: int | str | None, description: str | None) -> None:
        if kind not in ("429", "403", "400", "502", "drop"):
            raise ValueError(f"unknown fault kind {kind!r}")
        if times < 1:
            raise ValueError("times must be >= 1")
        fault = Fault(kind, times, chat_id, retry_after, description)
        self._by_method.setdefault(method.lower(), []).append(fault)

    def clear(self) -> None:
        self._by_method.clear()

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The fault to apply to this call, if any (consuming one of its ``times``)."""
        if not self._by_method:  # the common case: nothing injected, O(1)
            return None
        for key in (method.lower(), "*"):
            faults = self._by_method.get(key)
            if not faults:
                continue
            for fault in faults:
                if fault.chat_id is None or fault.chat_id == params.get("chat_id"):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        faults.remove(fault)
                    if not faults:
                        del self._by_method[key]
                    self.fired.append((method, fault.kind))
                    return fault
        return None
