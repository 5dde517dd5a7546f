"""What the group was shown of the ranking: its numbers, hashed, so the same ranking is
never posted twice, and none after the year's final one (storage.progress.ranking_shown)."""

from __future__ import annotations

import hashlib
import json

from bot.services.ranking.rank import YEAR, Ranking
from storage import progress as progress_repo
from storage.db import Database
from storage.records import Block


def numbers_of(ranking: Ranking) -> str:
    """The ranking's numbers (each unit's rank, total, and whether it is final), hashed: two
    posts with the same numbers show the group the same thing, whatever the date."""
    rows = [(s.unit.code, s.rank, str(s.total), s.provisional, s.unreported)
            for s in ranking.standings]
    return hashlib.sha256(json.dumps(rows).encode("utf-8")).hexdigest()


def final(ranking: Ranking) -> bool:
    return bool(ranking.standings) and not any(s.provisional for s in ranking.standings)


async def already_shown(db: Database, block: Block, subject: str, numbers: str,
                         ranking: Ranking) -> bool:
    """A ranking is posted once per change of its numbers, never after the year's final
    one, and, unless `[block] publish_self_scores = true`, never while it shows
    self-scores the chair has not appraised."""
    if not publishes_self_scores(block) and not final(ranking):
        return True
    async with db.read() as conn:
        year = await progress_repo.shown_numbers(conn, block.id, YEAR)
        shown = await progress_repo.shown_numbers(conn, block.id, subject)
    if year is not None and year[1]:
        return True  # the year's final ranking closed the year
    return shown is not None and shown[0] == numbers


def publishes_self_scores(block: Block) -> bool:
    """`[block] publish_self_scores` (false by default): self-scores in the group before
    the chair's appraisal."""
    return block.settings.get("publish_self_scores", False) is True
