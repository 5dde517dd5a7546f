"""Queries of the award vote (records: storage.awards.records; why the ballots are shaped
as they are: storage.awards.tables)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.awards.records import Ballot, Candidate, Round, Voted
from storage.awards.tables import (
    awards_ballots,
    awards_candidates,
    awards_drafts,
    awards_rounds,
    awards_voted,
)
from storage.db import Database


def _round(row: Any) -> Round:
    return Round(**{k: row[k] for k in Round.__dataclass_fields__})


def _candidate(row: Any) -> Candidate:
    return Candidate(**{k: row[k] for k in Candidate.__dataclass_fields__})


def _voted(row: Any) -> Voted:
    return Voted(**{k: row[k] for k in Voted.__dataclass_fields__})


# -- rounds --------------------------------------------------------------------------------

async def create_round(conn: AsyncConnection, **values: Any) -> int:
    values.setdefault("reminded", [])
    values.setdefault("electorate", 0)
    values.setdefault("opens", 0)
    result = await conn.execute(insert(awards_rounds).values(**values))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def get_round(conn: AsyncConnection, round_id: int) -> Round | None:
    query = select(awards_rounds).where(awards_rounds.c.id == round_id)
    row = (await conn.execute(query)).mappings().first()
    return _round(row) if row else None


async def block_rounds(conn: AsyncConnection, block_id: int) -> list[Round]:
    """Every round of the block, oldest first."""
    query = (select(awards_rounds).where(awards_rounds.c.block_id == block_id)
             .order_by(awards_rounds.c.id))
    return [_round(r) for r in (await conn.execute(query)).mappings()]


async def rounds_in(conn: AsyncConnection, states: Sequence[str]) -> list[Round]:
    query = (select(awards_rounds).where(awards_rounds.c.state.in_(states))
             .order_by(awards_rounds.c.id))
    return [_round(r) for r in (await conn.execute(query)).mappings()]


async def update_round(conn: AsyncConnection, round_id: int, *,
                       states: Sequence[str] | None = None, **values: Any) -> bool:
    """Change a round, only from one of `states` if given (compare-and-set)."""
    query = update(awards_rounds).where(awards_rounds.c.id == round_id)
    if states is not None:
        query = query.where(awards_rounds.c.state.in_(states))
    result = await conn.execute(query.values(**values))
    return result.rowcount == 1


# -- candidates ----------------------------------------------------------------------------

async def add_candidates(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(awards_candidates), list(rows))


async def candidates(conn: AsyncConnection, round_id: int, *, active_only: bool = True
                     ) -> list[Candidate]:
    query = select(awards_candidates).where(awards_candidates.c.round_id == round_id)
    if active_only:
        query = query.where(awards_candidates.c.active.is_(True))
    query = query.order_by(awards_candidates.c.award_code, awards_candidates.c.position)
    return [_candidate(r) for r in (await conn.execute(query)).mappings()]


async def set_candidate(conn: AsyncConnection, candidate_id: int, *, active: bool) -> None:
    await conn.execute(update(awards_candidates).where(awards_candidates.c.id == candidate_id)
                       .values(active=active))


# -- who has voted -------------------------------------------------------------------------

async def create_electorate(conn: AsyncConnection, round_id: int, unit_ids: Iterable[int]
                            ) -> None:
    """Every unit that may vote, not voted yet (again at a reopening: kept as they are)."""
    have = {v.unit_id for v in await voted_rows(conn, round_id)}
    rows = [{"round_id": round_id, "unit_id": u, "voted": False} for u in unit_ids
            if u not in have]
    if rows:
        await conn.execute(insert(awards_voted), rows)


async def voted_rows(conn: AsyncConnection, round_id: int) -> list[Voted]:
    query = select(awards_voted).where(awards_voted.c.round_id == round_id)
    return [_voted(r) for r in (await conn.execute(query.order_by(awards_voted.c.unit_id)))
            .mappings()]


async def mark_voted(conn: AsyncConnection, round_id: int, unit_id: int, *, by: int,
                     name: str, at: datetime) -> bool:
    """True for the one press that finds the unit not voted yet (a second one: False)."""
    result = await conn.execute(
        update(awards_voted)
        .where(awards_voted.c.round_id == round_id, awards_voted.c.unit_id == unit_id,
               awards_voted.c.voted.is_(False))
        .values(voted=True, cast_by=by, cast_by_name=name, cast_at=at))
    return result.rowcount == 1


# -- ballots -------------------------------------------------------------------------------

async def create_slots(conn: AsyncConnection, round_id: int, trackers: Sequence[str],
                       blank: str) -> None:
    """The round's unused ballots, written in tracker order (nothing here is secret yet)."""
    rows = [{"round_id": round_id, "tracker": t, "cast": False, "choices": blank}
            for t in sorted(trackers)]
    if rows:
        await conn.execute(insert(awards_ballots), rows)


async def free_slots(conn: AsyncConnection, round_id: int) -> list[str]:
    query = select(awards_ballots.c.tracker).where(
        awards_ballots.c.round_id == round_id, awards_ballots.c.cast.is_(False))
    return list((await conn.execute(query)).scalars())


async def fill_slot(conn: AsyncConnection, round_id: int, tracker: str, choices: str) -> bool:
    result = await conn.execute(
        update(awards_ballots)
        .where(awards_ballots.c.round_id == round_id, awards_ballots.c.tracker == tracker,
               awards_ballots.c.cast.is_(False))
        .values(cast=True, choices=choices))
    return result.rowcount == 1


async def ballots(conn: AsyncConnection, round_id: int, *, cast_only: bool = True
                  ) -> list[Ballot]:
    """The round's ballots by tracker."""
    query = select(awards_ballots).where(awards_ballots.c.round_id == round_id)
    if cast_only:
        query = query.where(awards_ballots.c.cast.is_(True))
    rows = (await conn.execute(query.order_by(awards_ballots.c.tracker))).mappings()
    return [Ballot(r["tracker"], bool(r["cast"]), r["choices"]) for r in rows]


async def find_ballot(conn: AsyncConnection, round_ids: Sequence[int], tracker: str
                      ) -> tuple[int, Ballot] | None:
    query = select(awards_ballots).where(awards_ballots.c.round_id.in_(round_ids),
                                         awards_ballots.c.tracker == tracker)
    row = (await conn.execute(query)).mappings().first()
    if row is None:
        return None
    return int(row["round_id"]), Ballot(row["tracker"], bool(row["cast"]), row["choices"])


# -- drafts --------------------------------------------------------------------------------

async def put_draft(conn: AsyncConnection, key: str, round_id: int, choices: str) -> None:
    await conn.execute(insert(awards_drafts).values(key=key, round_id=round_id,
                                                    choices=choices))


async def get_draft(conn: AsyncConnection, key: str) -> tuple[int, str] | None:
    query = select(awards_drafts.c.round_id, awards_drafts.c.choices).where(
        awards_drafts.c.key == key)
    row = (await conn.execute(query)).first()
    return (int(row[0]), str(row[1])) if row else None


async def set_draft(conn: AsyncConnection, key: str, choices: str) -> None:
    await conn.execute(update(awards_drafts).where(awards_drafts.c.key == key)
                       .values(choices=choices))


async def delete_draft(conn: AsyncConnection, key: str) -> None:
    await secure_delete(conn)
    await conn.execute(delete(awards_drafts).where(awards_drafts.c.key == key))


async def delete_drafts(conn: AsyncConnection, round_id: int) -> int:
    await secure_delete(conn)
    result = await conn.execute(delete(awards_drafts).where(awards_drafts.c.round_id == round_id))
    return int(result.rowcount or 0)


# -- traces in the database file -----------------------------------------------------------

async def secure_delete(conn: AsyncConnection) -> None:
    """SQLite overwrites what this connection deletes with zeros (a deleted draft leaves no
    choices in the file's free space)."""
    if conn.dialect.name == "sqlite":
        await conn.execute(text("PRAGMA secure_delete = ON"))


TRUNCATE_TRIES = 5  # another connection's checkpoint (the bot's background one) refuses ours


async def truncate_wal(db: Database) -> tuple[int, int, int] | None:
    """Copy SQLite's write-ahead log into the database and empty it: the log keeps each
    commit's pages in commit order, so the pages of the last casts would otherwise show
    which ballot changed with which unit's marker. (busy, frames, copied) of the last try
    (busy 0: emptied); None for other databases."""
    row: tuple[int, int, int] = (1, 0, 0)
    for attempt in range(TRUNCATE_TRIES):
        async with db.read() as conn:
            if conn.dialect.name != "sqlite":
                return None
            found = (await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).one()
        row = (int(found[0]), int(found[1]), int(found[2]))
        if row[0] == 0:
            break
        await asyncio.sleep(0.05 * (attempt + 1))
    return row
