"""`thidua-bot export --block CODE --out FILE.xlsx`: the scoring table the chair's /export
sends, written from the command line (for the provincial office, or a scheduled copy)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import with_block
from bot.cli.voice import language, say
from bot.formatting import format_number
from bot.services.clock import SystemClock
from storage.db import Database
from storage.records import Block


def add_commands(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help=say("cli-export-help"))
    export.add_argument("--block", required=True, metavar=say("cli-metavar-code"),
                        help=say("cli-block-help"))
    export.add_argument("--out", metavar=say("cli-metavar-file"),
                        help=say("cli-export-out-help"))
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.exports.ranking import write_ranking_workbook
    from bot.services.ranking.export import load_export

    async def go(db: Database, block: Block) -> int:
        data = await load_export(db, block, SystemClock().now())
        out = Path(args.out or f"bang-tong-hop-{block.code}.xlsx")
        await asyncio.to_thread(write_ranking_workbook, data, out)
        leader = data.year.standings[0] if data.year.standings else None
        state = say("cli-export-provisional" if data.year.provisional else "cli-export-final")
        line = say("cli-export-written", file=str(out), phases=len(data.phases),
                   units=len(data.year.standings), state=state)
        if leader is not None:
            line += say("cli-export-first", unit=leader.unit.name,
                        total=format_number(leader.total, language()))
        print(line)
        return 0

    return with_block(args.block, go)
