"""The outbox: one row per message to send, claimed and finished by the sender worker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.outbox.tables import outbox
from storage.tables import members

# SQLite allows 999 bound parameters per statement in older builds; stay well under.
_IN_CHUNK = 500
PRIVATE_LANE = 0  # every private chat shares one lane; each group chat has its own


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed: a crash here means "send again" (the in-flight duplicate)
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"  # 403: blocked, kicked, never started the bot

    @property
    def final(self) -> bool:
        return self in (State.SENT, State.FAILED, State.UNREACHABLE)


_OPEN = (State.PENDING.value, State.SENDING.value)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    batch: str
    dedupe_key: str
    chat_id: int
    parts: list[dict[str, Any]]
    parts_sent: int
    reply_markup: dict[str, Any] | None
    tg_user_id: int | None
    block_id: int | None
    state: State
    attempts: int
    last_error: str | None
    message_id: int | None
    created_at: datetime
    claimed_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class DeliveryRow:
    """Where one queued message stands, without its content (delivery_rows)."""

    dedupe_key: str
    chat_id: int
    state: State
    message_id: int | None
    last_error: str | None
    finished_at: datetime | None


def _row(row: Any) -> OutboxRow:
    values = {k: row[k] for k in OutboxRow.__dataclass_fields__}
    values["state"] = State(values["state"])
    return OutboxRow(**values)


def lane_of(chat_id: int) -> int:
    return PRIVATE_LANE if chat_id > 0 else chat_id


def _in_lane(lane: int) -> Any:
    return outbox.c.chat_id > 0 if lane == PRIVATE_LANE else outbox.c.chat_id == lane


async def existing_keys(conn: AsyncConnection, keys: Sequence[str]) -> set[str]:
    return {row[0] for row in await _by_keys(conn, _KEYS, keys)}


async def insert_rows(conn: AsyncConnection, rows: list[dict[str, Any]], now: datetime) -> None:
    if rows:
        common = {"state": State.PENDING.value, "attempts": 0, "parts_sent": 0, "created_at": now}
        await conn.execute(insert(outbox), [{**common, **row} for row in rows])


async def lanes_with_work(conn: AsyncConnection) -> list[int]:
    query = select(outbox.c.chat_id).where(outbox.c.state.in_(_OPEN)).distinct()
    return sorted({lane_of(chat_id) for chat_id in (await conn.execute(query)).scalars()})


async def claim_next(conn: AsyncConnection, lane: int, now: datetime) -> OutboxRow | None:
    """Take the lane's oldest unfinished row; a row left "sending" by a crash comes first."""
    query = (
        select(outbox)
        .where(outbox.c.state.in_(_OPEN), _in_lane(lane))
        .order_by(outbox.c.id)
        .limit(1)
    )
    row = (await conn.execute(query)).mappings().first()
    if row is None:
        return None
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == row["id"])
        .values(state=State.SENDING.value, attempts=row["attempts"] + 1, claimed_at=now)
    )
    claimed = dict(row)
    claimed.update(state=State.SENDING.value, attempts=row["attempts"] + 1, claimed_at=now)
    return _row(claimed)


async def finish(
    conn: AsyncConnection,
    row_id: int,
    state: State,
    now: datetime,
    *,
    message_id: int | None = None,
    error: str | None = None,
) -> None:
    values: dict[str, Any] = {"state": state.value, "last_error": error, "finished_at": now}
    if message_id is not None:
        values["message_id"] = message_id
    await conn.execute(update(outbox).where(outbox.c.id == row_id).values(**values))


async def release(conn: AsyncConnection, row_id: int, error: str, *, counted: bool) -> None:
    """Put a row back to be tried again; an attempt Telegram asked us to delay is not counted."""
    values: dict[str, Any] = {"state": State.PENDING.value, "last_error": error}
    if not counted:
        values["attempts"] = outbox.c.attempts - 1
    await conn.execute(update(outbox).where(outbox.c.id == row_id).values(**values))


async def retarget(conn: AsyncConnection, old_chat_id: int, new_chat_id: int) -> int:
    """A group became a supergroup: its unsent messages go to the new chat id."""
    result = await conn.execute(
        update(outbox)
        .where(outbox.c.chat_id == old_chat_id, outbox.c.state.in_(_OPEN))
        .values(chat_id=new_chat_id)
    )
    return int(result.rowcount or 0)


async def part_sent(conn: AsyncConnection, row_id: int, parts_sent: int, message_id: int) -> None:
    """One part of a multi-part message went out: a restart continues with the next one."""
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == row_id)
        .values(parts_sent=parts_sent, message_id=message_id)
    )


async def batch_counts(conn: AsyncConnection, batch: str) -> dict[State, int]:
    query = (
        select(outbox.c.state, func.count())
        .where(outbox.c.batch == batch)
        .group_by(outbox.c.state)
    )
    return {State(state): int(n) for state, n in (await conn.execute(query)).all()}


def _keyed(*columns: Any) -> Select[Any]:
    """A query for the rows of given dedupe keys, built once: the list of keys is bound
    at execution (an "expanding" parameter), so SQLAlchemy does not build and hash a new
    statement per call (a notice's progress and every first "received" read by keys)."""
    return select(*columns).where(outbox.c.dedupe_key.in_(bindparam("keys", expanding=True)))


async def _by_keys(conn: AsyncConnection, query: Select[Any], keys: Iterable[str]) -> list[Any]:
    """`query`'s rows for these dedupe keys, a chunk of keys per statement (SQLite's
    bound-variable limit)."""
    wanted = list(keys)
    rows: list[Any] = []
    for i in range(0, len(wanted), _IN_CHUNK):
        rows += (await conn.execute(query, {"keys": wanted[i : i + _IN_CHUNK]})).all()
    return rows


async def rows_by_keys(conn: AsyncConnection, keys: Iterable[str]) -> dict[str, OutboxRow]:
    return {row.dedupe_key: _row(row._mapping) for row in await _by_keys(conn, _ROWS, keys)}


_KEYS = _keyed(outbox.c.dedupe_key)
_ROWS = _keyed(outbox)
_DELIVERIES = _keyed(*(outbox.c[name] for name in DeliveryRow.__dataclass_fields__))


async def delivery_rows(conn: AsyncConnection, keys: Iterable[str]) -> dict[str, DeliveryRow]:
    """rows_by_keys without the message content: the progress of a notice reads a row per
    recipient every few seconds while it is confirmed, and parsing every copy's JSON parts
    and keyboard was most of that read."""
    return {key: DeliveryRow(key, chat_id, State(state), message_id, error, finished)
            for key, chat_id, state, message_id, error, finished
            in await _by_keys(conn, _DELIVERIES, keys)}


async def batch_rows(conn: AsyncConnection, batch: str) -> list[OutboxRow]:
    query = select(outbox).where(outbox.c.batch == batch).order_by(outbox.c.id)
    return [_row(r) for r in (await conn.execute(query)).mappings()]


async def sent_message_ids(conn: AsyncConnection, batch: str) -> dict[str, tuple[int, int]]:
    """dedupe_key -> (chat_id, message_id) of every message of the batch already sent."""
    query = select(outbox.c.dedupe_key, outbox.c.chat_id, outbox.c.message_id).where(
        outbox.c.batch == batch,
        outbox.c.state == State.SENT.value,
        outbox.c.message_id.isnot(None),
    )
    return {key: (int(chat), int(mid)) for key, chat, mid in (await conn.execute(query)).all()}


async def open_count(conn: AsyncConnection) -> int:
    query = select(func.count()).select_from(outbox).where(outbox.c.state.in_(_OPEN))
    return int((await conn.execute(query)).scalar_one())


async def marked_unreachable(conn: AsyncConnection, tg_user_id: int) -> bool:
    """Whether a 403 marked this person unreachable (in any block)."""
    query = (
        select(members.c.id)
        .where(members.c.tg_user_id == tg_user_id, members.c.unreachable_since.isnot(None))
        .limit(1)
    )
    return (await conn.execute(query)).first() is not None
