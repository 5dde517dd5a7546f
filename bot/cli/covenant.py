"""`thidua-bot covenant verify|export`: the signing record, checked and written out."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import EXIT_INVALID, with_database
from bot.cli.voice import error, follow_block, say
from bot.services.covenant.record import (
    CheckedSignature,
    RecordProblem,
    SigningRecord,
    signing_record,
    verify_block,
)
from storage.db import Database

EXIT_MISMATCH = 1


def add_commands(sub: argparse._SubParsersAction) -> None:
    cov = sub.add_parser("covenant", help=say("cli-covenant-help"))
    cov_sub = cov.add_subparsers(dest="covenant_command", metavar=say("cli-metavar-action"))
    verify = cov_sub.add_parser("verify", help=say("cli-covenant-verify-help"),
                                description=say("cli-covenant-verify-description"))
    verify.add_argument("--block", required=True, metavar=say("cli-metavar-code"),
                        help=say("cli-block-help"))
    verify.set_defaults(handler=cmd_verify)
    export = cov_sub.add_parser("export", help=say("cli-covenant-export-help"))
    export.add_argument("--block", required=True, metavar=say("cli-metavar-code"),
                        help=say("cli-block-help"))
    export.add_argument("--out", metavar=say("cli-metavar-file"),
                        help=say("cli-covenant-out-help"))
    export.set_defaults(handler=cmd_export)


def _line(checked: CheckedSignature) -> str:
    sig = checked.signature
    version = checked.version.number if checked.version else "?"
    state = say("cli-covenant-superseded" if sig.superseded else "cli-covenant-current")
    head = (f"{checked.unit_code:<10} v{version} {state:<10} "
            f"{sig.signed_at.isoformat(timespec='seconds')} {sig.text_hash[:12]}")
    if checked.valid:
        return f"  {say('cli-covenant-ok'):<9} {head}"
    reasons = "; ".join(say(f"cli-covenant-problem-{p}") for p in checked.problems)
    return f"  {say('cli-covenant-mismatch'):<9} {head}\n            {reasons}"


def cmd_verify(args: argparse.Namespace) -> int:
    async def go(db: Database) -> int:
        try:
            block, checked = await verify_block(db, args.block)
            record = await signing_record(db, args.block)
        except RecordProblem:  # the only one: no such block
            error(say("cli-no-block", code=args.block))
            return EXIT_INVALID
        follow_block(block.language)
        print(say("cli-covenant-count", code=block.code, count=len(checked)))
        for item in checked:
            print(_line(item))
        bad = [c for c in checked if not c.valid]
        if record.version is not None:
            signed = sum(1 for r in record.current if r.signed_at is not None)
            print(say("cli-covenant-current-signed", version=record.version.number,
                      signed=signed, total=len(record.current)))
        if bad:
            print(say("cli-covenant-bad", count=len(bad)))
            return EXIT_MISMATCH
        print(say("cli-covenant-all-valid"))
        return 0

    return with_database(go)


def export_line(out: Path, record: SigningRecord) -> str:
    """What `covenant export` prints once the file is written (the demo shows it too)."""
    signed = sum(1 for r in record.current if r.signed_at is not None)
    return say("cli-covenant-written", file=str(out), signed=signed, total=len(record.current),
               history=len(record.history), invalid=record.invalid)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.exports.covenant import write_covenant_record

    async def go(db: Database) -> int:
        try:
            record = await signing_record(db, args.block)
        except RecordProblem:
            error(say("cli-no-block", code=args.block))
            return EXIT_INVALID
        follow_block(record.block.language)
        out = Path(args.out or f"giao-uoc-{record.block.code}.xlsx")
        await asyncio.to_thread(write_covenant_record, record, out)
        print(export_line(out, record))
        return 0

    return with_database(go)
