"""`thidua-bot setup FILE`: create or update a block from its block file, and say what
changed in the helper's language."""

from __future__ import annotations

import argparse
import re
import sys

from bot.blockfile import BlockFileError, BlockSpec, load_block_file
from bot.cli.common import EXIT_INVALID, with_database
from bot.cli.voice import follow_block, language, say, warn
from bot.formatting import format_date
from bot.services.clock import SystemClock
from bot.services.deadline_days import OddDay, holiday_name, odd_deadlines
from bot.services.reminders.plan import replan_block
from bot.services.setup import SetupReport, apply_block_spec
from bot.texts import catalog
from storage.blocks import get_block
from storage.db import Database

# How apply_block_spec labels a changed row: "units.BTG: changed (name, short_name)".
_ROW_CHANGE = re.compile(r"(?P<table>\w+)\.(?P<code>\S+): (?P<change>added|changed|removed)"
                         r"(?: \((?P<details>.*)\))?")
_HOLIDAY_LANGUAGE = {"vi": "vi", "en": "en_US"}


def add_commands(sub: argparse._SubParsersAction) -> None:
    setup = sub.add_parser("setup", help=say("cli-setup-help"),
                           description=say("cli-setup-description"))
    setup.add_argument("file", metavar=say("cli-metavar-file"), help=say("cli-setup-file-help"))
    setup.set_defaults(handler=cmd_setup)


def odd_day_warning(odd: OddDay) -> str:
    if odd.kind == "sign_by":
        what = say("cli-setup-deadline-sign-by")
    else:
        what = say("cli-setup-deadline-report", phase=odd.phase_name or "",
                   code=odd.phase_code or "")
    why = holiday_name(odd.day, _HOLIDAY_LANGUAGE.get(language(), "vi"))
    if why is None:
        why = say("cli-day-saturday" if odd.day.weekday() == 5 else "cli-day-sunday")
    return say("cli-setup-odd-day", what=what, date=format_date(odd.day), why=why)


def _change_line(label: str) -> str:
    found = _ROW_CHANGE.fullmatch(label)
    if found is None:
        return label
    table_key = f"cli-setup-table-{found['table']}"
    what = say(table_key) if catalog().has(table_key) else found["table"]
    details = f" ({found['details']})" if found["details"] else ""
    return say("cli-setup-row", what=what, code=found["code"],
               change=say(f"cli-setup-{found['change']}"), details=details)


def summary(report: SetupReport, spec: BlockSpec) -> list[str]:
    """What `setup` prints when it has written the block (the demo shows it too)."""
    if report.created:
        return [say("cli-setup-created", code=spec.code, name=spec.name,
                    units=len(spec.units), phases=len(spec.phases),
                    criteria=len(spec.criteria)),
                say("cli-setup-next")]
    if not report.changes:
        return [say("cli-setup-unchanged", code=spec.code)]
    fields = [c.removeprefix("block.") for c in report.changes if c.startswith("block.")]
    lines = [say("cli-setup-updated", code=spec.code)]
    if fields:
        lines.append("  " + say("cli-setup-block-fields", fields=", ".join(fields)))
    lines += ["  " + _change_line(c) for c in report.changes
              if not c.startswith(("block.", "covenant:"))]
    if report.covenant_version is not None:
        lines.append("  " + say("cli-setup-covenant-version", version=report.covenant_version,
                                superseded=report.superseded))
    return lines


def cmd_setup(args: argparse.Namespace) -> int:
    try:
        spec = load_block_file(args.file)
    except BlockFileError as exc:
        print(say("cli-setup-problems", file=args.file, count=len(exc.problems)),
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    follow_block(spec.language)
    for odd in odd_deadlines(spec):
        warn(odd_day_warning(odd))

    async def go(db: Database) -> int:
        try:
            report = await apply_block_spec(db, spec, SystemClock())
        except BlockFileError as exc:  # what needs the clock: an activity already past
            print(say("cli-setup-problems", file=args.file, count=len(exc.problems)),
                  file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_INVALID
        # Re-plan reminders now: a running bot picks the rows up at its next minute.
        async with db.read() as conn:
            block = await get_block(conn, report.block_id)
        assert block is not None
        await replan_block(db, block, SystemClock())
        print("\n".join(summary(report, spec)))
        return 0

    return with_database(go)
