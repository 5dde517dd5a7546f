"""Subcommands of the foundation: run, setup, invites, db upgrade."""

from __future__ import annotations

import argparse

from bot.cli import invites, setup
from bot.cli.common import with_database
from bot.cli.voice import say
from bot.config import SettingsError, load_settings
from storage.db import Database
from storage.migrate import current_revisions


def add_commands(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help=say("cli-run-help"), description=say("cli-run-description"))
    run.set_defaults(handler=cmd_run)

    setup.add_commands(sub)
    invites.add_commands(sub)

    db = sub.add_parser("db", help=say("cli-db-help"))
    db_sub = db.add_subparsers(dest="db_command", metavar=say("cli-metavar-action"))
    up = db_sub.add_parser("upgrade", help=say("cli-db-upgrade-help"))
    up.set_defaults(handler=cmd_db_upgrade)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.logsetup import configure_logging
    from bot.serve import serve

    settings = load_settings()
    if settings.bot_token is None:
        raise SettingsError(say("cli-run-no-token"))
    token = settings.require_token()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    configure_logging(secrets=[token, secret], log_file=settings.log_file,
                      max_bytes=settings.log_max_bytes, backups=settings.log_backups)
    serve(settings)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    async def go(db: Database) -> int:
        revisions = await current_revisions(db)  # with_database has just migrated
        print(say("cli-db-at", revisions=", ".join(revisions)))
        return 0

    return with_database(go)
