"""The count of updates the bot skipped because python-telegram-bot could not read them.

A Bot API server newer or older than the library (a self-hosted server of another version)
may send an update the library cannot build: a `poll` without a field a newer Bot API made
required, a `poll_answer` without `option_ids`. Left to the library, one such update stops
every later one (PTB asks for the same offset again and again, logging the whole batch at
CRITICAL each time). The getUpdates request (bot.polling) and the webhook (bot.webhook)
replace it by a bare update so the bot moves past it, and note it here: counted, and logged
once with its id and the reason only (never its content, which may quote people).

Plain Python (no python-telegram-bot): the runtime holds one of these.
"""

from __future__ import annotations

import logging
from collections import deque

log = logging.getLogger(__name__)

# The reason logged is the library's exception message, clipped: it names a field or an
# argument, and nothing a person wrote needs to reach the log.
REASON_MAX_CHARS = 200
# Ids already noted, so a batch asked for again (a restart before the offset was confirmed)
# logs nothing twice; bounded, as a bot runs for months.
REMEMBERED_IDS = 1000


def reason_of(error: BaseException) -> str:
    """`TypeError: ...` on one line, at most REASON_MAX_CHARS characters."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= REASON_MAX_CHARS else text[: REASON_MAX_CHARS - 1] + "…"


class UnreadableUpdates:
    """How many updates were skipped, and which were the latest."""

    def __init__(self) -> None:
        self.count = 0
        self._recent: deque[int] = deque(maxlen=REMEMBERED_IDS)

    def note(self, update_id: int | None, reason: str, *, via: str) -> bool:
        """Count and log a skipped update once; False when it was noted before."""
        if update_id is not None and update_id in self._recent:
            return False
        if update_id is not None:
            self._recent.append(update_id)
        self.count += 1
        log.warning("update %s skipped (%s), unreadable: %s",
                    update_id if update_id is not None else "without an id", via, reason)
        return True

    @property
    def recent(self) -> list[int]:
        """The ids of the latest skipped updates, oldest first."""
        return list(self._recent)
