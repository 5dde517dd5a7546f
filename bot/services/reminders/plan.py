"""Plan the block's reminder rows from its phases, covenant and [reminders] settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.services.clock import Clock
from bot.services.reminders.timing import ReminderSettings, fire_time, parse_offset
from storage import blocks as blocks_repo
from storage import reminders as reminders_repo
from storage.db import Database
from storage.records import Block, BlockTree
from storage.reminders import Wanted

# "Just after a deadline": the missed-deadline list goes out one minute later.
OVERDUE_DELAY = timedelta(minutes=1)
PHASE_START_TIME = time(8, 0)  # issue 5: 08:00 local on the phase's start day
PHASE_END_TIME = time(17, 0)  # the end of the working day on the phase's last day
# The ranking goes to the group a few minutes after the deadline, after the missed-deadline
# list, so reports submitted in the last minute are counted (issue 6).
RANKING_KIND = "ranking"
RANKING_DELAY = timedelta(minutes=5)


def _rounds(
    kind: str,
    subject: str,
    deadline: datetime,
    offsets: list[str],
    cfg: ReminderSettings,
    block: Block,
) -> list[Wanted]:
    found: dict[datetime, Wanted] = {}
    for label in offsets:
        when = fire_time(deadline, parse_offset(label), cfg, block.tz)
        if when < deadline and when not in found:
            found[when] = Wanted(kind, subject, label, deadline, when)
    overdue = Wanted(f"{kind}-overdue", subject, "", deadline, deadline + OVERDUE_DELAY)
    return [*found.values(), overdue]


def covenant_deadline(block: Block) -> datetime | None:
    covenant = block.settings.get("covenant") or {}
    sign_by = covenant.get("sign_by")
    return datetime.fromisoformat(sign_by) if sign_by else None


def wanted_rows(tree: BlockTree) -> list[Wanted]:
    """Every reminder and scheduled notice the block's settings call for."""
    block = tree.block
    settings = block.settings.get("reminders") or {}
    cfg = ReminderSettings.from_block(settings)
    rows: list[Wanted] = []
    for phase in tree.phases:
        start = datetime.combine(phase.start, PHASE_START_TIME, block.tz)
        end = datetime.combine(phase.end, PHASE_END_TIME, block.tz)
        rows.append(Wanted("phase-start", phase.code, "", phase.report_due, start))
        rows += _rounds(
            "report",
            phase.code,
            phase.report_due,
            list(settings.get("before_report_due", [])),
            cfg,
            block,
        )
        rows.append(Wanted("phase-end", phase.code, "", end, end))
        # The deadline's ranking shows self-scores not yet appraised: only for blocks that
        # publish them (`[block] publish_self_scores`); the others get it after review.
        if block.settings.get("post_ranking", True) is not False \
                and block.settings.get("publish_self_scores", False) is True:
            due = phase.report_due + RANKING_DELAY
            rows.append(Wanted(RANKING_KIND, phase.code, "", phase.report_due, due))
    sign_by = covenant_deadline(block)
    if sign_by is not None:
        rows += _rounds(
            "sign", "covenant", sign_by, list(settings.get("before_sign_by", [])), cfg, block
        )
    return rows


async def replan_block(db: Database, block: Block, clock: Clock) -> tuple[int, int, int]:
    """Recompute the block's plan; returns (added, moved, cancelled)."""
    async with db.transaction() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        return await reminders_repo.sync_plan(conn, block.id, wanted_rows(tree), clock.now())


async def replan_all(db: Database, clock: Clock) -> None:
    async with db.read() as conn:
        all_blocks = await blocks_repo.list_blocks(conn)
    for block in all_blocks:
        await replan_block(db, block, clock)
