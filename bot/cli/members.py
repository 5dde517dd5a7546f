"""`thidua-bot members`: who represents which unit, and removing a representative."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_INVALID, with_block
from bot.formatting import format_datetime
from bot.services.clock import SystemClock
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Block


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "members", help="list the units' representatives, or remove one (--remove USER_ID)"
    )
    parser.add_argument("--block", required=True, help="block code, e.g. KTD6-2023")
    parser.add_argument(
        "--remove",
        type=int,
        metavar="USER_ID",
        help="the Telegram user id of a representative to remove from their unit",
    )
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
            state = "" if active else "  (removed)"
            reach = "  (blocked the bot)" if member.unreachable_since else ""
            handle = f" @{member.username}" if member.username else ""
            print(
                f"{codes.get(member.unit_id, '?'):<8} {member.tg_user_id:<12} "
                f"{member.full_name}{handle}  joined "
                f"{format_datetime(member.joined_at, block.tz)}{state}{reach}"
            )
        print(
            f"\n{sum(1 for _, a in rows if a)} active representative(s). Remove one with "
            f"`thidua-bot members --block {block.code} --remove USER_ID`."
        )
        return 0

    return with_block(args.block, go)


async def _remove(db: Database, block_id: int, tg_user_id: int) -> int:
    async with db.transaction() as conn:
        member = await members_repo.deactivate(conn, block_id, tg_user_id)
        if member is None:
            print(
                f"error: user {tg_user_id} is not a representative in this block", file=sys.stderr
            )
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
    print(
        f"Removed {member.full_name} ({tg_user_id}). Their invite link no longer counts; "
        "issue a new one with `thidua-bot invites --unit CODE` if needed."
    )
    return 0
