"""The outbox: one row per message to send, claimed and finished by the sender worker."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

# The records live in storage.outbox.records (handlers may name those); still importable
# from here, as before.
from storage.outbox.records import DeliveryRow, OutboxRow, State
from storage.outbox.tables import outbox
from storage.tables import members

# SQLite allows 999 bound parameters per statement in older builds; stay well under.
_IN_CHUNK = 500
_HEAD_SCAN = 64  # unfinished rows read at a time to find each chat's oldest
_OPEN = (State.PENDING.value, State.SENDING.value)


def _row(row: Any) -> OutboxRow:
    values = {k: row[k] for k in OutboxRow.__dataclass_fields__}
    values["state"] = State(values["state"])
    return OutboxRow(**values)


async def existing_keys(conn: AsyncConnection, keys: Sequence[str]) -> set[str]:
    return {row[0] for row in await _by_keys(conn, _KEYS, keys)}


async def insert_rows(conn: AsyncConnection, rows: list[dict[str, Any]], now: datetime) -> None:
    if rows:
        common = {"state": State.PENDING.value, "attempts": 0, "parts_sent": 0, "created_at": now}
        await conn.execute(insert(outbox), [{**common, **row} for row in rows])


async def open_heads(conn: AsyncConnection, limit: int, skip: Collection[int]) -> list[int]:
    """The ids of the oldest unfinished row of each chat, oldest first, up to `limit`,
    leaving out the chats in `skip`: what the sender may claim now (a chat's later rows wait
    until its earlier ones are finished, so each chat's messages keep their order).

    Reads the unfinished rows in id order, a prefix at a time: the first row of a chat in a
    prefix is that chat's oldest."""
    scan = max(_HEAD_SCAN, 4 * limit)
    while True:
        query = (
            select(outbox.c.id, outbox.c.chat_id)
            .where(outbox.c.state.in_(_OPEN)).order_by(outbox.c.id).limit(scan)
        )
        rows = (await conn.execute(query)).all()
        heads: list[int] = []
        seen = set(skip)
        for row_id, chat_id in rows:
            if chat_id not in seen:
                seen.add(chat_id)
                heads.append(row_id)
                if len(heads) == limit:
                    return heads
        if len(rows) < scan:
            return heads
        scan *= 4


async def claim(conn: AsyncConnection, ids: Sequence[int], now: datetime) -> list[OutboxRow]:
    """Mark the rows "sending" (one attempt more) before their call to Telegram: a crash
    after this sends them again, so nothing is skipped. Rows already finished are left out."""
    if not ids:
        return []
    await conn.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids), outbox.c.state.in_(_OPEN))
        .values(state=State.SENDING.value, attempts=outbox.c.attempts + 1, claimed_at=now)
    )
    query = (
        select(outbox)
        .where(outbox.c.id.in_(ids), outbox.c.state == State.SENDING.value)
        .order_by(outbox.c.id)
    )
    return [_row(r) for r in (await conn.execute(query)).mappings()]


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
