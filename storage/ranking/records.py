"""What the ranking repository returns: plain dataclasses, no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RankingPost:
    """One automatic post of a ranking to the block's group (pending -> queued | skipped)."""

    id: int
    block_id: int
    subject: str
    reason: str
    source: str
    state: str
    fingerprint: str | None
    created_at: datetime
    done_at: datetime | None
