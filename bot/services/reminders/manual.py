"""The chair's /remind: a reminder round for the current deadline, sent at once, at most
once every MANUAL_COOLDOWN per block and kind.

The cooldown is read and the round written in one transaction that first holds the block
(storage.blocks.lock_block): two chairs pressing at the same instant are served one after
the other, and the second sees the first one's round, so only one round goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from pathlib import Path

from bot.services.clock import Clock
from bot.services.reminders.due import send_due
from bot.services.reminders.plan import covenant_deadline
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage import reminders as reminders_repo
from storage.db import Database
from storage.records import Block

# What the chair may ask for: /remind report, /remind sign.
MANUAL_KINDS = ("report", "sign")
# Units already nudged minutes ago: a second nudge only annoys them.
MANUAL_COOLDOWN = timedelta(minutes=10)
COOLDOWN_MINUTES = int(MANUAL_COOLDOWN.total_seconds() // 60)


class Outcome(Enum):
    SENT = "sent"  # the round went out
    TOO_SOON = "too-soon"  # a round of this kind went out less than MANUAL_COOLDOWN ago
    NOTHING = "nothing"  # no deadline to remind of, or nobody owes anything


@dataclass(frozen=True)
class Reminded:
    outcome: Outcome
    fired: int  # rounds sent by this call (of any block due meanwhile): wake the outbox


async def _plan_round(db: Database, clock: Clock, block: Block, kind: str) -> Outcome | None:
    """Plan a round of `kind` due now; None when planned, else why not."""
    if kind not in MANUAL_KINDS:
        raise ValueError(f"/remind {kind!r}: expected one of {MANUAL_KINDS}")
    now = clock.now()
    async with db.transaction() as conn:
        await blocks_repo.lock_block(conn, block.id)
        last = await reminders_repo.last_manual_at(conn, block.id, kind)
        if last is not None and now - last < MANUAL_COOLDOWN:
            return Outcome.TOO_SOON
        if kind == "report":
            tree = await blocks_repo.load_tree(conn, block)
            today = now.astimezone(block.tz).date()
            started = [p for p in tree.phases if p.start <= today]
            if not started:
                return Outcome.NOTHING
            phase = next((p for p in started if p.report_due > now), started[-1])
            subject, deadline = phase.code, phase.report_due
        else:
            subject, deadline = "covenant", covenant_deadline(block) or now
        await reminders_repo.add_manual(conn, block.id, kind, subject, max(deadline, now), now)
    return None


async def remind_now(
    db: Database, clock: Clock, texts: Catalog, block: Block, kind: str, *, charts: Path
) -> Reminded:
    """/remind report|sign: plan the round (cooldown permitting) and send what is due."""
    refused = await _plan_round(db, clock, block, kind)
    if refused is not None:
        return Reminded(refused, 0)
    fired = await send_due(db, clock, texts, charts=charts)
    return Reminded(Outcome.SENT if fired else Outcome.NOTHING, fired)
