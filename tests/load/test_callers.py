"""resolve_caller in one query (storage/callers.py) keeps its rules: the current block in
private, the group's block in a group, guests, admins, and the 403 mark."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.blockfile import load_block_file
from bot.services.access import Caller, resolve_caller
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.db import Database
from storage.records import Block
from tests.e2e.harness import DEFAULT_NOW as NOW
from tests.e2e.harness import EXAMPLE_BLOCK

USER, ADMIN, GUEST = 501, 900, 777
GROUP = -100_500


async def two_blocks(db: Database) -> tuple[Block, Block]:
    """USER represents VPTU in block A (joined first) and BTG in block B."""
    spec = load_block_file(EXAMPLE_BLOCK)
    found = []
    for code, offset in (("A-2023", 0), ("B-2023", 1)):
        await apply_block_spec(db, replace(spec, code=code), ManualClock(NOW))
        async with db.transaction() as conn:
            block = await blocks_repo.get_block_by_code(conn, code)
            assert block is not None
            unit = await blocks_repo.get_unit_by_code(conn, block.id, "BTG" if offset else "VPTU")
            assert unit is not None
            await members_repo.add_member(
                conn, block_id=block.id, unit_id=unit.id, tg_user_id=USER, full_name="An",
                username=None, language_code="vi", now=NOW + timedelta(days=offset))
            found.append(block)
    return found[0], found[1]


async def caller(db: Database, user: int, group: int | None = None) -> Caller:
    return await resolve_caller(db, tg_user_id=user, admin_ids=frozenset({ADMIN}),
                                default_language="vi", group_chat_id=group)


async def test_private_caller_in_the_current_or_newest_block(db: Database) -> None:
    a, b = await two_blocks(db)
    newest = await caller(db, USER)
    assert newest.block is not None and newest.unit is not None
    assert newest.block.id == b.id and newest.unit.code == "BTG"
    assert newest.registered and newest.is_chair
    async with db.transaction() as conn:
        await prefs_repo.set_pref(conn, USER, current_block_id=a.id, language="en")
    chosen = await caller(db, USER)
    assert chosen.block is not None and chosen.unit is not None
    assert chosen.block.id == a.id and chosen.unit.code == "VPTU"
    assert chosen.language == "en" and not chosen.unreachable
    async with db.transaction() as conn:
        await members_repo.mark_unreachable(conn, USER, NOW)
    assert (await caller(db, USER)).unreachable


async def test_guests_and_admins(db: Database) -> None:
    _, b = await two_blocks(db)
    guest = await caller(db, GUEST)
    assert guest.block is None and not guest.registered
    admin = await caller(db, ADMIN)
    assert admin.block is not None
    assert admin.block.id == b.id and admin.is_chair
    assert not admin.registered


async def test_group_caller_in_the_groups_block(db: Database) -> None:
    a, _ = await two_blocks(db)
    assert (await caller(db, USER, GROUP)).block is None
    async with db.transaction() as conn:
        await blocks_repo.bind_group(conn, a.id, GROUP)
    member = await caller(db, USER, GROUP)
    assert member.block is not None and member.unit is not None
    assert member.block.id == a.id and member.unit.code == "VPTU"
    stranger = await caller(db, GUEST, GROUP)
    assert stranger.block is not None
    assert stranger.block.id == a.id and not stranger.registered
