"""What the chair's technical helper does on the command line during the year: `thidua-bot
setup`, `thidua-bot invites` and, at the end, `thidua-bot covenant export`. The demo calls
the same services those commands call, and keeps what they would have printed."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.blockfile import BlockSpec
from bot.cli import covenant as covenant_cli
from bot.cli import invites as invites_cli
from bot.cli import setup as setup_cli
from bot.cli.voice import speaking
from bot.demo.clock import DemoClock
from bot.demo.story import Story
from bot.services.covenant.record import RecordProblem, signing_record
from bot.services.registration.invites import invite_link, issue_invites
from bot.services.reminders.plan import replan_block
from bot.services.setup import apply_block_spec
from storage.blocks import get_block
from storage.db import Database
from storage.migrate import upgrade_database

INVITE_USES = 2
INVITE_DAYS = 30


async def setup_block(db: Database, spec: BlockSpec, clock: DemoClock, story: Story,
                      block_file: Path) -> int:
    """`thidua-bot setup FILE`; returns the block's id."""
    await upgrade_database(db)
    report = await apply_block_spec(db, spec, clock)
    async with db.read() as conn:
        block = await get_block(conn, report.block_id)
    assert block is not None
    await replan_block(db, block, clock)
    with speaking(spec.language):  # what the command line prints for this block
        story.shell(f"thidua-bot setup {block_file.name}",
                    "\n".join(setup_cli.summary(report, spec)))
    return report.block_id


async def invite_units(db: Database, spec: BlockSpec, clock: DemoClock, story: Story,
                       bot_username: str) -> dict[str, str]:
    """`thidua-bot invites`: one link per unit; returns unit code -> token."""
    issued = await issue_invites(db, clock, block_code=spec.code, uses=INVITE_USES,
                                 days=INVITE_DAYS)
    rows = [{"unit_code": i.unit.code, "unit_name": i.unit.name,
             "link": invite_link(bot_username, i.token)} for i in issued]
    until = clock.now().astimezone(issued[0].block.tz if issued else None) + timedelta(
        days=INVITE_DAYS)
    with speaking(spec.language):
        lines = invites_cli.table(rows, uses=INVITE_USES, days=INVITE_DAYS, until=until)
    story.shell(f"thidua-bot invites --uses {INVITE_USES}", "\n".join(lines))
    return {i.unit.code: i.token for i in issued}


async def export_covenant(db: Database, spec: BlockSpec, story: Story, out: Path) -> Path | None:
    """`thidua-bot covenant export`: the signing record for the provincial office."""
    from bot.exports.covenant import write_covenant_record

    try:
        record = await signing_record(db, spec.code)
    except RecordProblem as exc:
        story.gap(f"covenant export: {exc}")
        return None
    path = out / f"giao-uoc-{record.block.code}.xlsx"
    # dated on the demo's simulated day, as the helper would have run it then
    now = story.now() if story.clock is not None else None
    await asyncio.to_thread(write_covenant_record, record, path, now)
    with speaking(spec.language):
        story.shell(f"thidua-bot covenant export --block {spec.code} --out {path.name}",
                    covenant_cli.export_line(Path(path.name), record))
    return path
