"""What the outbox tells a block's chairs, each in their language (bot.services.notify): a
representative it cannot reach, messages of a batch that failed."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services import notify
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.outbox.records import OutboxRow, State

log = logging.getLogger(__name__)


async def _tell_chairs(
    conn: AsyncConnection, texts: Catalog, block_id: int | None, key: str, dedupe: str,
    now: datetime, **params: object,
) -> int:
    block = await blocks_repo.get_block(conn, block_id) if block_id is not None else None
    if block is None:
        log.warning("outbox: nobody to tell (%s, no block)", key)
        return 0
    return await notify.queue(
        conn, texts, await notify.chairs(conn, block), key, block=block,
        batch=f"outbox:notice:{block.id}", dedupe=dedupe, now=now, params=params,
    )


async def tell_unreachable(
    conn: AsyncConnection, texts: Catalog, row: OutboxRow, now: datetime
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
        conn, texts, row.block_id, "outbox-unreachable",
        f"outbox:unreachable:{row.tg_user_id}:{int(now.timestamp())}", now,
        name=member.full_name, unit=unit.name if unit else "",
    )


async def tell_failures(
    conn: AsyncConnection, texts: Catalog, row: OutboxRow, now: datetime
) -> int:
    """Once per batch without a subscriber: how many of its messages could not be sent."""
    rows = await outbox_repo.batch_rows(conn, row.batch)
    failed = [r for r in rows if r.state is State.FAILED]
    return await _tell_chairs(
        conn, texts, row.block_id, "outbox-failed", f"outbox:failed:{row.batch}", now,
        count=len(failed), total=len(rows), error=(failed[-1].last_error or "")[:300],
    )
