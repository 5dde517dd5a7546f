"""Binding a Telegram group to its block, and following it when it becomes a supergroup.

When /bind moves a block from one group to another, the old group and the other
representatives with chair rights are told in the transaction of the move (through
bot.services.notify), so nobody keeps waiting for notices in a group the bot has left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services import notify
from bot.services.access import chair_blocks
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import audit
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block


class Bind(StrEnum):
    BOUND = "bound"
    ALREADY = "already"
    REFUSED = "refused"
    CHOOSE = "choose"  # chair of several blocks: /bind CODE
    UNKNOWN_BLOCK = "unknown-block"
    TAKEN = "taken"  # the group belongs to another block the caller does not chair


@dataclass(frozen=True)
class BindResult:
    outcome: Bind
    block: Block | None = None
    choices: tuple[Block, ...] = ()
    queued: int = 0  # notices of a move put in the outbox: the caller wakes it


async def bind_group(
    db: Database,
    clock: Clock,
    texts: Catalog,
    *,
    tg_user_id: int,
    actor_name: str,
    admin_ids: frozenset[int],
    chat_id: int,
    chat_title: str | None,
    block_code: str | None,
) -> BindResult:
    allowed = await chair_blocks(db, tg_user_id, admin_ids)
    now = clock.now()
    if not allowed:
        async with db.transaction() as conn:
            current = await blocks_repo.get_block_by_group(conn, chat_id)
            await audit.record(
                conn,
                at=now,
                action="group.bind-refused",
                block_id=current.id if current else None,
                actor_tg_id=tg_user_id,
                subject=str(chat_id),
                after={"title": chat_title},
            )
        return BindResult(Bind.REFUSED)
    if block_code is not None:
        chosen = [b for b in allowed if b.code.upper() == block_code.upper()]
        if not chosen:
            return BindResult(Bind.UNKNOWN_BLOCK, choices=tuple(allowed))
    else:
        chosen = allowed
    if len(chosen) > 1:
        return BindResult(Bind.CHOOSE, choices=tuple(chosen))
    block = chosen[0]
    if block.group_chat_id == chat_id:
        return BindResult(Bind.ALREADY, block)
    async with db.transaction() as conn:
        holder = await blocks_repo.get_block_by_group(conn, chat_id)
        if holder is not None and holder.id not in {b.id for b in allowed}:
            # The group already serves another block whose chair this caller is not: taking
            # it over would silently cut that block off from its own group.
            await audit.record(
                conn, at=now, action="group.bind-refused", block_id=holder.id,
                actor_tg_id=tg_user_id, subject=str(chat_id),
                after={"title": chat_title, "wanted_block": block.code},
            )
            return BindResult(Bind.TAKEN, holder)
        if holder is not None:
            await audit.record(
                conn, at=now, action="group.unbound", block_id=holder.id,
                actor_tg_id=tg_user_id, subject=str(chat_id), after={"moved_to": block.code},
            )
        await blocks_repo.bind_group(conn, block.id, chat_id)
        await audit.record(
            conn,
            at=now,
            action="group.bound",
            block_id=block.id,
            actor_tg_id=tg_user_id,
            subject=str(chat_id),
            before={"chat_id": block.group_chat_id},
            after={"chat_id": chat_id, "title": chat_title},
        )
        fresh = await blocks_repo.get_block(conn, block.id)
        assert fresh is not None
        queued = 0
        if block.group_chat_id is not None:
            queued = await _tell_of_move(conn, texts, block, fresh, now, tg_user_id=tg_user_id,
                                         actor_name=actor_name, group=chat_title or str(chat_id))
    return BindResult(Bind.BOUND, fresh, queued=queued)


async def _tell_of_move(
    conn: AsyncConnection, texts: Catalog, old: Block, block: Block, now: datetime, *,
    tg_user_id: int, actor_name: str, group: str,
) -> int:
    """The block's old group and its other chairs learn where the block lives now."""
    assert old.group_chat_id is not None and block.group_chat_id is not None
    # One move is one (old group, new group, moment) of one block: a retried update either
    # finds the move rolled back (it runs again) or finds it done (Bind.ALREADY, no notice).
    batch = f"group-moved:{block.id}"
    dedupe = f"{batch}:{old.group_chat_id}:{block.group_chat_id}:{now.isoformat()}"
    params = {"block": block.name, "group": group, "name": actor_name}
    queued = await notify.queue(conn, texts, notify.group(old), "bind-moved-old-group",
                                block=block, batch=batch, dedupe=dedupe, now=now, params=params)
    chairs = await notify.chairs(conn, block, skip=tg_user_id)
    queued += await notify.queue(conn, texts, chairs, "bind-moved-chairs", block=block,
                                 batch=batch, dedupe=dedupe, now=now, params=params)
    return queued


async def follow_migration(db: Database, clock: Clock, old_chat_id: int, new_chat_id: int) -> bool:
    async with db.transaction() as conn:
        block_id = await blocks_repo.move_group(conn, old_chat_id, new_chat_id)
        if block_id is None:
            return False
        await audit.record(
            conn,
            at=clock.now(),
            action="group.migrated",
            block_id=block_id,
            before={"chat_id": old_chat_id},
            after={"chat_id": new_chat_id},
        )
    return True
