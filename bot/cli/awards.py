"""`thidua-bot awards minutes|proposal --block CODE --out FILE.docx`: the award vote's
minutes of the count (biên bản) and the draft proposal (tờ trình), as the chair's
`/binhxet bienban` and `/binhxet totrinh` send them."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import EXIT_INVALID, with_block
from bot.cli.voice import error, say
from bot.texts import catalog
from storage.db import Database
from storage.records import Block

KINDS = {"minutes": "m", "proposal": "p"}  # bot.services.awards.documents.KINDS


def add_commands(sub: argparse._SubParsersAction) -> None:
    awards = sub.add_parser("awards", help=say("cli-awards-help"))
    actions = awards.add_subparsers(dest="action")
    for name in KINDS:
        action = actions.add_parser(name, help=say(f"cli-awards-{name}-help"))
        action.add_argument("--block", required=True, metavar=say("cli-metavar-code"),
                            help=say("cli-block-help"))
        action.add_argument("--out", metavar=say("cli-metavar-file"),
                            help=say("cli-awards-out-help"))
        action.set_defaults(handler=cmd_document, kind=KINDS[name])


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def cmd_document(args: argparse.Namespace) -> int:
    # Loaded here: python-docx is no part of every other command's start.
    from bot.services.awards.documents import document

    async def go(db: Database, block: Block) -> int:
        found = await document(db, catalog(), block, args.kind)
        if found is None:
            error(say("cli-awards-none", block=block.code))
            return EXIT_INVALID
        out = Path(args.out or found.filename)
        await asyncio.to_thread(_write, out, found.content)
        final = found.record.final
        print(say("cli-awards-written", file=str(out), cast=found.record.main.tally.cast,
                  total=found.record.main.tally.electorate,
                  proposed=sum(len(f.proposed) for f in final)))
        return 0

    return with_block(args.block, go)
