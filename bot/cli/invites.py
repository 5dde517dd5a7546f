"""`thidua-bot invites`: one invite link per unit, shown once (the database keeps only each
link's hash), as a table, as JSON, or kept in a private CSV file with `--out`."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.cli.common import EXIT_INVALID, with_database
from bot.cli.voice import error, follow_block, say, warn
from bot.config import Settings, SettingsError, load_settings
from bot.formatting import format_date
from bot.services.clock import SystemClock
from bot.services.registration.invites import (
    DEFAULT_DAYS,
    DEFAULT_USES,
    InviteProblem,
    invite_link,
    issue_invites,
    revoke_invites,
)
from storage import blocks as blocks_repo
from storage.db import Database
from storage.private import FILE_MODE

# Excel reads a CSV as UTF-8 only when it starts with a byte order mark; without one the
# units' Vietnamese names come out garbled.
CSV_ENCODING = "utf-8-sig"


def add_commands(sub: argparse._SubParsersAction) -> None:
    inv = sub.add_parser("invites", help=say("cli-invites-help"),
                         description=say("cli-invites-description"))
    inv.add_argument("--block", metavar=say("cli-metavar-code"),
                     help=say("cli-block-help-optional"))
    inv.add_argument("--unit", metavar=say("cli-metavar-code"), help=say("cli-invites-unit-help"))
    inv.add_argument("--uses", type=int, default=DEFAULT_USES, metavar="N",
                     help=say("cli-invites-uses-help", default=DEFAULT_USES))
    inv.add_argument("--days", type=int, default=DEFAULT_DAYS, metavar="N",
                     help=say("cli-invites-days-help", default=DEFAULT_DAYS))
    inv.add_argument("--revoke", metavar=say("cli-metavar-code"),
                     help=say("cli-invites-revoke-help"))
    inv.add_argument("--json", action="store_true", help=say("cli-invites-json-help"))
    inv.add_argument("--out", metavar=say("cli-metavar-csv"), help=say("cli-invites-out-help"))
    inv.set_defaults(handler=cmd_invites)


async def _bot_username(settings: Settings) -> str:
    if settings.bot_token is not None:
        from telegram import Bot

        bot = Bot(settings.bot_token.get_secret_value(), base_url=f"{settings.bot_api_url}/bot")
        try:
            async with bot:
                return bot.username
        except Exception as exc:  # network down, bad token: fall back if we can
            if settings.bot_username:
                warn(say("cli-invites-getme-failed", reason=type(exc).__name__))
                return settings.bot_username.lstrip("@")
            raise SettingsError(say("cli-invites-getme-no-username",
                                    reason=type(exc).__name__)) from None
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    raise SettingsError(say("cli-invites-no-username"))


async def _follow_the_block(db: Database, code: str | None) -> None:
    """Speak the block's language from the start, errors included, when it is known."""
    async with db.read() as conn:
        if code is not None:
            block = await blocks_repo.get_block_by_code(conn, code)
            found = [block] if block is not None else []
        else:
            found = await blocks_repo.list_blocks(conn)
    if len(found) == 1:
        follow_block(found[0].language)


def table(rows: list[dict[str, Any]], *, uses: int, days: int, until: datetime,
          links: bool = True) -> list[str]:
    """The invites as the terminal shows them (the demo shows the same lines)."""
    lines = []
    for row in rows:
        lines.append(f"{row['unit_code']:<10} {row['unit_name']}")
        if links:
            lines.append(f"{'':<10} {row['link']}")
    lines += ["", say("cli-invites-summary", count=len(rows), uses=uses, days=days,
                      until=format_date(until.date()))]
    if links:
        lines.append(say("cli-invites-shown-once"))
    return lines


def write_csv(path: Path, rows: list[dict[str, Any]], *, uses: int, until: datetime) -> None:
    """The links, one row per unit, in a file only this account may read (the links are as
    good as passwords): written beside the target as 0600 and moved over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with open(descriptor, "w", encoding=CSV_ENCODING, newline="") as out:
            writer = csv.writer(out)
            writer.writerow([say("cli-csv-unit-code"), say("cli-csv-unit-name"),
                             say("cli-csv-link"), say("cli-csv-uses"), say("cli-csv-until")])
            for row in rows:
                writer.writerow([row["unit_code"], row["unit_name"], row["link"], uses,
                                 format_date(until.date())])
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def cmd_invites(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.uses < 1 or args.days < 1:
        error(say("cli-invites-too-few"))
        return EXIT_INVALID
    out = Path(args.out) if args.out else None
    if out is not None and not out.parent.is_dir():
        error(say("cli-invites-no-folder", folder=str(out.parent)))
        return EXIT_INVALID

    async def go(db: Database) -> int:
        await _follow_the_block(db, args.block)
        clock = SystemClock()
        try:
            if args.revoke:
                count = await revoke_invites(db, clock, block_code=args.block,
                                             unit_code=args.revoke)
                print(say("cli-invites-revoked", count=count, unit=args.revoke))
                return 0
            username = await _bot_username(settings)
            issued = await issue_invites(db, clock, block_code=args.block,
                                         unit_code=args.unit, uses=args.uses, days=args.days)
        except InviteProblem as exc:
            error(say(f"cli-invites-{exc.key}", **exc.params) if exc.key else str(exc))
            return EXIT_INVALID
        if issued:
            follow_block(issued[0].block.language)
        tz = issued[0].block.tz if issued else None
        until = clock.now().astimezone(tz) + timedelta(days=args.days)
        rows: list[dict[str, Any]] = [
            {"block": i.block.code, "unit_code": i.unit.code, "unit_name": i.unit.name,
             "token": i.token, "link": invite_link(username, i.token)}
            for i in issued
        ]
        if out is not None:
            write_csv(out, rows, uses=args.uses, until=until)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            print("\n".join(table(rows, uses=args.uses, days=args.days, until=until,
                                  links=out is None)))
        if out is not None:
            print(say("cli-invites-written", count=len(rows), file=str(out)),
                  file=sys.stderr if args.json else sys.stdout)
        return 0

    return with_database(go, settings=settings)
