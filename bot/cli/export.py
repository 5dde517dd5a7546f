"""`thidua-bot export --block CODE --out FILE.xlsx`: the scoring table the chair's /export
sends, written from the command line (for the provincial office, or a scheduled copy)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import with_block
from bot.services.clock import SystemClock
from storage.db import Database
from storage.records import Block


def add_commands(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export", help="write the scoring table (phases, year, figures, signatures) as xlsx"
    )
    export.add_argument("--block", required=True, help="block code, e.g. KTD6-2023")
    export.add_argument("--out", help="output file (default bang-tong-hop-<BLOCK>.xlsx)")
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.exports.ranking import write_ranking_workbook
    from bot.services.ranking.export import load_export

    async def go(db: Database, block: Block) -> int:
        data = await load_export(db, block, SystemClock().now())
        out = Path(args.out or f"bang-tong-hop-{block.code}.xlsx")
        await asyncio.to_thread(write_ranking_workbook, data, out)
        leader = data.year.standings[0] if data.year.standings else None
        state = "provisional" if data.year.provisional else "final"
        print(f"Wrote {out}: {len(data.phases)} phase(s) and the year for "
              f"{len(data.year.standings)} unit(s), {state}"
              + (f"; first: {leader.unit.code} ({leader.total})" if leader else "") + ".")
        return 0

    return with_block(args.block, go)
