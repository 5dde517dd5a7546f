"""What finishing one outbox row writes, in the worker's transaction: its final state, a
403's mark on the representative, the batch's progress, and the chair's notices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox import notices
from bot.outbox.model import Progress, State
from bot.texts import Catalog
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.outbox.records import OutboxRow


async def finish_row(
    conn: AsyncConnection, texts: Catalog, row: OutboxRow, state: State, now: datetime, *,
    message_id: int | None, error: str | None, subscribed: bool,
) -> tuple[Progress, int]:
    """The batch's progress after this row, and how many notices were queued for the chairs
    (a representative the bot cannot reach; a finished batch without a subscriber that had
    failures)."""
    told = 0
    await outbox_repo.finish(conn, row.id, state, now, message_id=message_id, error=error)
    if (
        state is State.UNREACHABLE
        and row.tg_user_id is not None
        and await members_repo.mark_unreachable(conn, row.tg_user_id, now)
    ):
        told += await notices.tell_unreachable(conn, texts, row, now)
    counts = await outbox_repo.batch_counts(conn, row.batch)
    progress = Progress(
        batch=row.batch, total=sum(counts.values()), sent=counts.get(State.SENT, 0),
        failed=counts.get(State.FAILED, 0), unreachable=counts.get(State.UNREACHABLE, 0),
    )
    if progress.finished and progress.failed and not subscribed:
        told += await notices.tell_failures(conn, texts, row, now)
    return progress, told
