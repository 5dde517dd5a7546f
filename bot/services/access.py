"""Who is calling, in which block, with which rights: always read from the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import blocks as blocks_repo
from storage import callers as callers_repo
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.db import Database
from storage.records import Block, Member, Unit


@dataclass(frozen=True)
class Caller:
    tg_user_id: int
    is_admin: bool
    language: str
    block: Block | None = None
    member: Member | None = None
    unit: Unit | None = None
    # A 403 mark on one of the user's memberships (read by the same query), so the
    # reachability check of private updates (handlers/announce.py) costs nothing usually.
    unreachable: bool = False

    @property
    def registered(self) -> bool:
        return self.member is not None and self.unit is not None

    @property
    def is_chair(self) -> bool:
        """Chair rights in the current block: chair unit, vice-chair unless the block says
        otherwise, or a bot admin."""
        if self.block is None:
            return False
        if self.is_admin:
            return True
        return unit_has_chair_rights(self.block, self.unit)


def unit_has_chair_rights(block: Block, unit: Unit | None) -> bool:
    if unit is None or not unit.active:
        return False
    return unit.role == "chair" or (unit.role == "vice_chair" and block.vice_chair_rights)


async def chair_members(
    conn: AsyncConnection, block: Block, *, skip: int | None = None
) -> list[tuple[Member, str]]:
    """The representatives of units with chair rights (but `skip`), each with the language
    they read the bot in: who the bot tells about submissions, registrations, failures."""
    tree = await blocks_repo.load_tree(conn, block)
    chairs = [m for m in await members_repo.block_members(conn, block.id)
              if m.tg_user_id != skip and unit_has_chair_rights(block, tree.unit(m.unit_id))]
    languages = await prefs_repo.languages_of(conn, [m.tg_user_id for m in chairs])
    return [(m, languages.get(m.tg_user_id, block.language)) for m in chairs]


async def resolve_caller(
    db: Database,
    *,
    tg_user_id: int,
    admin_ids: frozenset[int],
    default_language: str,
    group_chat_id: int | None = None,
) -> Caller:
    """The caller in a group (that group's block) or in private (their current block).

    One query for a registered user (storage.callers): it runs for every update.
    """
    is_admin = tg_user_id in admin_ids
    block: Block | None = None
    member: Member | None = None
    unit: Unit | None = None
    unreachable = False
    if group_chat_id is not None:
        rows = await db.read_in_one(callers_repo.group_rows, tg_user_id, group_chat_id)
        block = rows.group_block
        seat = rows.group_seat
        if seat is not None and seat.unit.active:
            member, unit = seat.member, seat.unit
    else:
        rows = await db.read_in_one(callers_repo.private_rows, tg_user_id)
        unreachable = any(s.member.unreachable_since is not None for s in rows.seats)
        chosen = next((s for s in rows.seats if s.block.id == rows.current_block_id), None)
        chosen = chosen or (rows.seats[0] if rows.seats else None)
        if chosen is not None:
            block, member, unit = chosen.block, chosen.member, chosen.unit
        elif is_admin:
            async with db.read() as conn:
                all_blocks = await blocks_repo.list_blocks(conn)
            block = next((b for b in all_blocks if b.id == rows.current_block_id), None)
            block = block or (all_blocks[-1] if all_blocks else None)
    lang = rows.language or (block.language if block else None) or default_language
    return Caller(
        tg_user_id=tg_user_id,
        is_admin=is_admin,
        language=lang,
        block=block,
        member=member,
        unit=unit,
        unreachable=unreachable,
    )


async def chair_blocks(db: Database, tg_user_id: int, admin_ids: frozenset[int]) -> list[Block]:
    """Blocks in which the user has chair rights (all blocks for an admin)."""
    if tg_user_id in admin_ids:
        async with db.read() as conn:
            return await blocks_repo.list_blocks(conn)
    rows = await db.read_in_one(callers_repo.private_rows, tg_user_id)  # one query, not 1 + 2n
    return [seat.block for seat in rows.seats if unit_has_chair_rights(seat.block, seat.unit)]


async def member_blocks(db: Database, tg_user_id: int, *, is_admin: bool) -> list[Block]:
    """The blocks the user holds a seat in, newest first (all blocks for an admin)."""
    if is_admin:
        async with db.read() as conn:
            return await blocks_repo.list_blocks(conn)
    rows = await db.read_in_one(callers_repo.private_rows, tg_user_id)  # one query
    return [seat.block for seat in rows.seats]
