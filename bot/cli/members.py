"""`thidua-bot members`: who represents which unit, and removing a representative."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_INVALID, with_block
from bot.cli.voice import error, say
from bot.formatting import format_datetime
from bot.services.clock import SystemClock
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Block


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("members", help=say("cli-members-help"),
                            description=say("cli-members-description"))
    parser.add_argument("--block", required=True, metavar=say("cli-metavar-code"),
                        help=say("cli-block-help"))
    parser.add_argument("--remove", type=int, metavar="USER_ID",
                        help=say("cli-members-remove-help"))
    parser.set_defaults(handler=cmd_members)


def cmd_members(args: argparse.Namespace) -> int:
    async def go(db: Database, block: Block) -> int:
        if args.remove is not None:
            return await _remove(db, block.id, args.remove)
        async with db.read() as conn:
            tree = await blocks_repo.load_tree(conn, block)
            rows = await members_repo.all_of_block(conn, block.id)
        codes = {u.id: u.code for u in tree.units}
        for member, active in rows:
            state = "" if active else "  " + say("cli-members-removed-flag")
            reach = "  " + say("cli-members-blocked-flag") if member.unreachable_since else ""
            handle = f" @{member.username}" if member.username else ""
            joined = say("cli-members-joined",
                         when=format_datetime(member.joined_at, block.tz))
            print(f"{codes.get(member.unit_id, '?'):<8} {member.tg_user_id:<12} "
                  f"{member.full_name}{handle}  {joined}{state}{reach}")
        print()
        print(say("cli-members-count", count=sum(1 for _, a in rows if a), code=block.code))
        return 0

    return with_block(args.block, go)


async def _remove(db: Database, block_id: int, tg_user_id: int) -> int:
    async with db.transaction() as conn:
        member = await members_repo.deactivate(conn, block_id, tg_user_id)
        if member is None:
            error(say("cli-members-not-member", user=tg_user_id))
            return EXIT_INVALID
        await audit.record(
            conn,
            at=SystemClock().now(),
            action="member.removed",
            block_id=block_id,
            actor_unit_id=member.unit_id,
            subject=str(tg_user_id),
            before={"name": member.full_name, "unit_id": member.unit_id},
        )
    print(say("cli-members-removed", name=member.full_name, user=tg_user_id))
    return 0
