"""Chair announcements: the notice, who it was addressed to, and which units confirmed it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.outbox.tables import announcement_acks, announcement_deliveries, announcements


@dataclass(frozen=True)
class Announcement:
    id: int
    block_id: int
    author_tg_id: int
    author_unit_id: int | None
    kind: str  # text | photo | document
    body: str | None  # Telegram HTML
    file_id: str | None
    file_name: str | None
    to_group: bool
    to_units: bool
    unit_ids: list[int] | None  # None: every unit of the block
    ask_ack: bool
    ack_deadline: datetime | None
    deadline_done_at: datetime | None
    group_chat_id: int | None
    progress_chat_id: int | None
    progress_message_id: int | None
    nudges: int
    last_nudge_at: datetime | None
    created_at: datetime

    @property
    def batch(self) -> str:
        return f"announce:{self.id}"


@dataclass(frozen=True)
class Recipient:
    """One addressee: the group (unit_id None) or one representative of a unit (fields in
    the order of _RECIPIENT_COLUMNS: rows are decoded by position)."""

    announcement_id: int
    unit_id: int | None
    tg_user_id: int | None
    chat_id: int
    dedupe_key: str


@dataclass(frozen=True)
class Ack:
    announcement_id: int
    unit_id: int
    tg_user_id: int
    full_name: str
    at: datetime


def _announcement(row: Any) -> Announcement:
    return Announcement(**{k: row[k] for k in Announcement.__dataclass_fields__})


async def add_announcement(conn: AsyncConnection, **values: Any) -> int:
    result = await conn.execute(insert(announcements).values(nudges=0, **values))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


# Built once: a "received" press reads these three (SQLAlchemy builds the cache key of a
# statement made per call each time; see tests/benchmarks/load.py).
_ANNOUNCEMENT = select(announcements).where(announcements.c.id == bindparam("id"))
_D = announcement_deliveries.c
_RECIPIENT_COLUMNS = (_D.announcement_id, _D.unit_id, _D.tg_user_id, _D.chat_id, _D.dedupe_key)
_RECIPIENTS = (  # a notice's progress reads them every few seconds while it is confirmed
    select(*_RECIPIENT_COLUMNS).where(_D.announcement_id == bindparam("id")).order_by(_D.id)
)
_UNIT_RECIPIENTS = (  # a unit's first "received" marks its representatives' copies
    select(*_RECIPIENT_COLUMNS)
    .where(_D.announcement_id == bindparam("id"), _D.unit_id == bindparam("unit"))
    .order_by(_D.id)
)
_GROUP_RECIPIENT = select(*_RECIPIENT_COLUMNS).where(
    _D.announcement_id == bindparam("id"), _D.unit_id.is_(None))
_ACKS = select(announcement_acks).where(announcement_acks.c.announcement_id == bindparam("id"))


async def get_announcement(conn: AsyncConnection, announcement_id: int) -> Announcement | None:
    row = (await conn.execute(_ANNOUNCEMENT, {"id": announcement_id})).mappings().first()
    return _announcement(row) if row else None


async def sent_from(conn: AsyncConnection, chat_id: int, message_id: int) -> Announcement | None:
    """The notice sent from this message (the chair's panel, which then shows its progress):
    one panel sends one notice."""
    query = select(announcements).where(announcements.c.progress_chat_id == chat_id,
                                        announcements.c.progress_message_id == message_id)
    row = (await conn.execute(query.limit(1))).mappings().first()
    return _announcement(row) if row else None


async def recent(conn: AsyncConnection, block_id: int, limit: int) -> list[Announcement]:
    query = (
        select(announcements)
        .where(announcements.c.block_id == block_id)
        .order_by(announcements.c.id.desc())
        .limit(limit)
    )
    return [_announcement(r) for r in (await conn.execute(query)).mappings()]


async def add_recipients(conn: AsyncConnection, recipients: list[Recipient]) -> None:
    if recipients:
        await conn.execute(
            insert(announcement_deliveries),
            [
                {k: getattr(r, k) for k in Recipient.__dataclass_fields__}
                for r in recipients
            ],
        )


async def recipients_of(conn: AsyncConnection, announcement_id: int) -> list[Recipient]:
    return [Recipient(*row) for row in await conn.execute(_RECIPIENTS, {"id": announcement_id})]


async def unit_recipients(
    conn: AsyncConnection, announcement_id: int, unit_id: int
) -> list[Recipient]:
    """The notice's copies for one unit's representatives."""
    rows = await conn.execute(_UNIT_RECIPIENTS, {"id": announcement_id, "unit": unit_id})
    return [Recipient(*row) for row in rows]


async def group_recipient(conn: AsyncConnection, announcement_id: int) -> Recipient | None:
    """The notice's copy for the block's group, if it was addressed to the group."""
    row = (await conn.execute(_GROUP_RECIPIENT, {"id": announcement_id})).first()
    return Recipient(*row) if row else None


_ADD_ACK = sqlite_insert(announcement_acks).on_conflict_do_nothing(
    index_elements=["announcement_id", "unit_id"])
_ACK = select(announcement_acks).where(announcement_acks.c.announcement_id == bindparam("id"),
                                       announcement_acks.c.unit_id == bindparam("unit"))


async def add_ack(conn: AsyncConnection, ack: Ack) -> tuple[Ack, bool]:
    """Record a unit's confirmation; the first one stays. Returns it and whether it is new."""
    # ON CONFLICT: a second representative of the unit may press at the same moment.
    result = await conn.execute(_ADD_ACK, {k: getattr(ack, k) for k in Ack.__dataclass_fields__})
    if result.rowcount:
        return ack, True
    found = await ack_of(conn, ack.announcement_id, ack.unit_id)
    assert found is not None
    return found, False


async def ack_of(conn: AsyncConnection, announcement_id: int, unit_id: int) -> Ack | None:
    """The unit's confirmation of the notice, if any (a "received" press reads only this)."""
    row = (await conn.execute(_ACK, {"id": announcement_id, "unit": unit_id})).mappings().first()
    return Ack(**{k: row[k] for k in Ack.__dataclass_fields__}) if row else None


async def acks_of(conn: AsyncConnection, announcement_id: int) -> dict[int, Ack]:
    return {
        row["unit_id"]: Ack(**{k: row[k] for k in Ack.__dataclass_fields__})
        for row in (await conn.execute(_ACKS, {"id": announcement_id})).mappings()
    }


async def claim_nudge(
    conn: AsyncConnection, announcement_id: int, now: datetime, not_since: datetime
) -> int | None:
    """Count one more nudge unless one was sent after `not_since`; the new number or None."""
    table = announcements.c
    result = await conn.execute(
        update(announcements)
        .where(
            table.id == announcement_id,
            (table.last_nudge_at.is_(None)) | (table.last_nudge_at <= not_since),
        )
        .values(nudges=table.nudges + 1, last_nudge_at=now)
    )
    if not result.rowcount:
        return None
    query = select(table.nudges).where(table.id == announcement_id)
    return int((await conn.execute(query)).scalar_one())


async def due_deadlines(conn: AsyncConnection, now: datetime) -> list[Announcement]:
    query = (
        select(announcements)
        .where(
            and_(
                announcements.c.ask_ack.is_(True),
                announcements.c.ack_deadline.isnot(None),
                announcements.c.ack_deadline <= now,
                announcements.c.deadline_done_at.is_(None),
            )
        )
        .order_by(announcements.c.id)
    )
    return [_announcement(r) for r in (await conn.execute(query)).mappings()]


async def next_deadline_at(conn: AsyncConnection, after: datetime | None = None
                           ) -> datetime | None:
    """The earliest confirmation deadline still to handle (strictly after `after` if
    given): when the bot's wake-up (bot.wakeup) must run handle_due_deadlines next."""
    query = (
        select(announcements.c.ack_deadline)
        .where(
            announcements.c.ask_ack.is_(True),
            announcements.c.ack_deadline.isnot(None),
            announcements.c.deadline_done_at.is_(None),
        )
        .order_by(announcements.c.ack_deadline)
        .limit(1)
    )
    if after is not None:
        query = query.where(announcements.c.ack_deadline > after)
    value: datetime | None = (await conn.execute(query)).scalar_one_or_none()
    return value


async def mark_deadline_done(conn: AsyncConnection, announcement_id: int, now: datetime) -> bool:
    """True for the one caller that gets to handle the deadline (overlapping wake-ups)."""
    result = await conn.execute(
        update(announcements)
        .where(
            announcements.c.id == announcement_id,
            announcements.c.deadline_done_at.is_(None),
        )
        .values(deadline_done_at=now)
    )
    return bool(result.rowcount)
