"""What the outbox tells the chair: a representative it cannot reach, messages that failed."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox.model import Outgoing
from bot.outbox.queue import enqueue
from bot.runtime import Runtime
from bot.services.access import chair_members
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.outbox import OutboxRow, State

log = logging.getLogger(__name__)


async def _tell_chairs(
    conn: AsyncConnection, runtime: Runtime, block_id: int | None, key: str, dedupe: str,
    now: datetime, **params: object,
) -> int:
    block = await blocks_repo.get_block(conn, block_id) if block_id is not None else None
    if block is None:
        log.warning("outbox: nobody to tell (%s, no block)", key)
        return 0
    items = [
        Outgoing(
            chat_id=member.tg_user_id,
            text=runtime.texts.text(language, key, **params),
            batch=f"outbox:notice:{block.id}",
            dedupe_key=f"{dedupe}:{member.tg_user_id}",
            tg_user_id=member.tg_user_id,
            block_id=block.id,
        )
        for member, language in await chair_members(conn, block)
    ]
    return await enqueue(conn, items, now)


async def tell_unreachable(
    conn: AsyncConnection, runtime: Runtime, row: OutboxRow, now: datetime
) -> int:
    """Once per representative (until they write to the bot again): 403 from Telegram."""
    assert row.tg_user_id is not None
    member = (
        await members_repo.get_membership(conn, row.block_id, row.tg_user_id)
        if row.block_id is not None
        else None
    )
    if member is None:
        return 0
    unit = await blocks_repo.get_unit(conn, member.unit_id)
    return await _tell_chairs(
        conn, runtime, row.block_id, "outbox-unreachable",
        f"outbox:unreachable:{row.tg_user_id}:{int(now.timestamp())}", now,
        name=member.full_name, unit=unit.name if unit else "",
    )


async def tell_failures(
    conn: AsyncConnection, runtime: Runtime, row: OutboxRow, now: datetime
) -> int:
    """Once per batch without a subscriber: how many of its messages could not be sent."""
    rows = await outbox_repo.batch_rows(conn, row.batch)
    failed = [r for r in rows if r.state is State.FAILED]
    return await _tell_chairs(
        conn, runtime, row.block_id, "outbox-failed", f"outbox:failed:{row.batch}", now,
        count=len(failed), total=len(rows), error=(failed[-1].last_error or "")[:300],
    )
