"""`thidua-bot covenant verify|export`: the signing record, checked and written out."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.common import EXIT_INVALID, with_database
from bot.services.covenant.record import (
    CheckedSignature,
    RecordProblem,
    signing_record,
    verify_block,
)
from storage.db import Database

EXIT_MISMATCH = 1

_EXPLAIN = {
    "signature-hash": "stored hash is not the SHA-256 of the stored signed text",
    "version-hash": "the covenant version's text no longer matches its recorded hash",
    "signed-text": "signed text differs from the version's text plus the unit's recorded pledge",
    "missing-version": "the signature's covenant version is missing",
}


def add_commands(sub: argparse._SubParsersAction) -> None:
    cov = sub.add_parser("covenant", help="the covenant signing record")
    cov_sub = cov.add_subparsers(dest="covenant_command", metavar="ACTION")
    verify = cov_sub.add_parser("verify", help="recompute every signature's SHA-256")
    verify.add_argument("--block", required=True, help="block code, e.g. KTD6-2023")
    verify.set_defaults(handler=cmd_verify)
    export = cov_sub.add_parser("export", help="write the signing record as an xlsx file")
    export.add_argument("--block", required=True, help="block code, e.g. KTD6-2023")
    export.add_argument("--out", help="output file (default giao-uoc-<BLOCK>.xlsx)")
    export.set_defaults(handler=cmd_export)


def _line(checked: CheckedSignature) -> str:
    sig = checked.signature
    version = checked.version.number if checked.version else "?"
    state = "superseded" if sig.superseded else "current"
    head = (f"{checked.unit_code:<10} v{version} {state:<10} "
            f"{sig.signed_at.isoformat(timespec='seconds')} {sig.text_hash[:12]}")
    if checked.valid:
        return f"  OK        {head}"
    reasons = "; ".join(_EXPLAIN[str(p)] for p in checked.problems)
    return f"  MISMATCH  {head}\n            {reasons}"


def cmd_verify(args: argparse.Namespace) -> int:
    async def go(db: Database) -> int:
        try:
            block, checked = await verify_block(db, args.block)
            record = await signing_record(db, args.block)
        except RecordProblem as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INVALID
        print(f"Block {block.code}: {len(checked)} signature(s) in the record.")
        for item in checked:
            print(_line(item))
        bad = [c for c in checked if not c.valid]
        if record.version is not None:
            signed = sum(1 for r in record.current if r.signed_at is not None)
            print(f"Current version v{record.version.number}: {signed}/{len(record.current)} "
                  "units signed.")
        if bad:
            print(f"{len(bad)} signature(s) do NOT match their stored text.")
            return EXIT_MISMATCH
        print("All signatures are valid.")
        return 0

    return with_database(go)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.exports.covenant import write_covenant_record

    async def go(db: Database) -> int:
        try:
            record = await signing_record(db, args.block)
        except RecordProblem as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INVALID
        out = Path(args.out or f"giao-uoc-{record.block.code}.xlsx")
        await asyncio.to_thread(write_covenant_record, record, out)
        signed = sum(1 for r in record.current if r.signed_at is not None)
        print(f"Wrote {out}: {signed}/{len(record.current)} units signed the current version, "
              f"{len(record.history)} signature(s) in the history "
              f"({record.invalid} failing verification).")
        return 0

    return with_database(go)
