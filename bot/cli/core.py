"""Subcommands of the foundation: run, setup, invites, db upgrade."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.blockfile import BlockFileError, load_block_file
from bot.cli.common import EXIT_INVALID, with_database
from bot.config import Settings, SettingsError, load_settings
from bot.services.clock import SystemClock
from bot.services.deadline_days import odd_deadlines
from bot.services.registration.invites import (
    DEFAULT_DAYS,
    DEFAULT_USES,
    InviteProblem,
    invite_link,
    issue_invites,
    revoke_invites,
)
from bot.services.reminders.plan import replan_block
from bot.services.setup import apply_block_spec
from storage.blocks import get_block
from storage.db import Database
from storage.migrate import current_revisions


def add_commands(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run", help="run the bot (long polling, or webhook if WEBHOOK_URL is set)"
    )
    run.set_defaults(handler=cmd_run)

    setup = sub.add_parser("setup", help="create or update a block from its TOML block file")
    setup.add_argument("file", help="the block file, e.g. deploy/examples/khoi-thi-dua-6.toml")
    setup.set_defaults(handler=cmd_setup)

    inv = sub.add_parser("invites", help="issue invite links for the units' representatives")
    inv.add_argument("--block", help="block code (needed when the database holds several)")
    inv.add_argument("--unit", help="only this unit (code)")
    inv.add_argument(
        "--uses",
        type=int,
        default=DEFAULT_USES,
        help=f"registrations allowed per link (default {DEFAULT_USES})",
    )
    inv.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"days the links stay valid (default {DEFAULT_DAYS})",
    )
    inv.add_argument("--revoke", metavar="UNIT", help="revoke the open invites of this unit")
    inv.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    inv.set_defaults(handler=cmd_invites)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    up = db_sub.add_parser("upgrade", help="apply the database migrations")
    up.set_defaults(handler=cmd_db_upgrade)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.logsetup import configure_logging
    from bot.serve import serve

    settings = load_settings()
    token = settings.require_token()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    configure_logging(secrets=[token, secret], log_file=settings.log_file,
                      max_bytes=settings.log_max_bytes, backups=settings.log_backups)
    serve(settings)
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    try:
        spec = load_block_file(args.file)
    except BlockFileError as exc:
        print(
            f"{args.file}: {len(exc.problems)} problem(s); nothing was written:", file=sys.stderr
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID

    for odd in odd_deadlines(spec):
        print(f"warning: {odd.what} is {odd.day:%d/%m/%Y}, {odd.why}; setup goes on.",
              file=sys.stderr)

    async def go(db: Database) -> int:
        report = await apply_block_spec(db, spec, SystemClock())
        # Re-plan reminders now: a running bot picks the rows up at its next minute.
        async with db.read() as conn:
            block = await get_block(conn, report.block_id)
        assert block is not None
        await replan_block(db, block, SystemClock())
        if report.created:
            print(
                f"Block {report.block_code} created: {len(spec.units)} units, "
                f"{len(spec.phases)} phases, {len(spec.criteria)} criteria."
            )
            print("Next: `thidua-bot invites` to get one invite link per unit.")
        elif report.changes:
            print(f"Block {report.block_code} updated:")
            for change in report.changes:
                print(f"  {change}")
        else:
            print(f"Block {report.block_code} is already up to date; nothing changed.")
        return 0

    return with_database(go)


async def _bot_username(settings: Settings) -> str:
    if settings.bot_token is not None:
        from telegram import Bot

        bot = Bot(settings.bot_token.get_secret_value(), base_url=f"{settings.bot_api_url}/bot")
        try:
            async with bot:
                return bot.username
        except Exception as exc:  # network down, bad token: fall back if we can
            if settings.bot_username:
                print(
                    f"warning: getMe failed ({type(exc).__name__}); using BOT_USERNAME",
                    file=sys.stderr,
                )
                return settings.bot_username.lstrip("@")
            raise SettingsError(
                f"BOT_TOKEN: could not ask Telegram for the bot's username "
                f"({type(exc).__name__}); set BOT_USERNAME to make links offline"
            ) from None
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    raise SettingsError(
        "BOT_USERNAME: required to make invite links when BOT_TOKEN is not set "
        "(the bot's @username from BotFather, without the @)"
    )


def cmd_invites(args: argparse.Namespace) -> int:
    settings = load_settings()

    async def go(db: Database) -> int:
        try:
            if args.revoke:
                count = await revoke_invites(
                    db, SystemClock(), block_code=args.block, unit_code=args.revoke
                )
                print(f"Revoked {count} open invite(s) of unit {args.revoke}.")
                return 0
            username = await _bot_username(settings)
            issued = await issue_invites(
                db,
                SystemClock(),
                block_code=args.block,
                unit_code=args.unit,
                uses=args.uses,
                days=args.days,
            )
        except InviteProblem as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INVALID
        rows: list[dict[str, Any]] = [
            {
                "block": i.block.code,
                "unit_code": i.unit.code,
                "unit_name": i.unit.name,
                "token": i.token,
                "link": invite_link(username, i.token),
            }
            for i in issued
        ]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                print(f"{row['unit_code']:<10} {row['unit_name']}\n           {row['link']}")
            print(
                f"\n{len(rows)} link(s), each valid for {args.days} days and {args.uses} "
                "registration(s). Send each unit its own link; it is shown only now."
            )
        return 0

    return with_database(go, settings=settings)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    async def go(db: Database) -> int:
        revisions = await current_revisions(db)  # with_database has just migrated
        print(f"Database is at revision {', '.join(revisions)}.")
        return 0

    return with_database(go)
