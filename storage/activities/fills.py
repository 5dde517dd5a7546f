"""Report values attendance filled, and the chair's /activity new draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.activities.records import Draft, Fill
from storage.activities.tables import activities, activity_drafts, activity_fills


def _fill(row: Any) -> Fill:
    return Fill(**{k: row[k] for k in Fill.__dataclass_fields__})


async def fills_of(conn: AsyncConnection, unit_id: int, phase_id: int) -> dict[int, Fill]:
    """The unit's values in the phase that attendance wrote, by criterion id."""
    query = select(activity_fills).where(activity_fills.c.unit_id == unit_id,
                                         activity_fills.c.phase_id == phase_id)
    return {f.criterion_id: f for f in map(_fill, (await conn.execute(query)).mappings())}


async def fills_of_phase(conn: AsyncConnection, phase_id: int, criterion_id: int
                         ) -> dict[int, Fill]:
    """Every unit's fill of one criterion in one phase, by unit id."""
    query = select(activity_fills).where(activity_fills.c.phase_id == phase_id,
                                         activity_fills.c.criterion_id == criterion_id)
    return {f.unit_id: f for f in map(_fill, (await conn.execute(query)).mappings())}


async def save_fill(conn: AsyncConnection, fill: Fill) -> None:
    values = {"value": fill.value, "activity_ids": fill.activity_ids,
              "filled_at": fill.filled_at}
    stmt = sqlite_insert(activity_fills).values(unit_id=fill.unit_id, phase_id=fill.phase_id,
                                                criterion_id=fill.criterion_id, **values)
    await conn.execute(stmt.on_conflict_do_update(
        index_elements=["unit_id", "phase_id", "criterion_id"], set_=values))


async def drop_fill(conn: AsyncConnection, unit_id: int, phase_id: int,
                    criterion_id: int) -> None:
    await conn.execute(delete(activity_fills).where(
        activity_fills.c.unit_id == unit_id, activity_fills.c.phase_id == phase_id,
        activity_fills.c.criterion_id == criterion_id))


# --- the chair's draft ------------------------------------------------------------------

async def get_draft(conn: AsyncConnection, tg_user_id: int) -> Draft | None:
    query = select(activity_drafts).where(activity_drafts.c.tg_user_id == tg_user_id)
    row = (await conn.execute(query)).mappings().first()
    return Draft(**{k: row[k] for k in Draft.__dataclass_fields__}) if row else None


async def save_draft(conn: AsyncConnection, tg_user_id: int, block_id: int, step: str,
                     data: dict[str, Any], now: datetime) -> None:
    values = {"block_id": block_id, "step": step, "data": data, "updated_at": now}
    stmt = sqlite_insert(activity_drafts).values(tg_user_id=tg_user_id, **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["tg_user_id"], set_=values))


async def drop_draft(conn: AsyncConnection, tg_user_id: int) -> None:
    await conn.execute(delete(activity_drafts).where(activity_drafts.c.tg_user_id == tg_user_id))


async def attendance_notes(conn: AsyncConnection, unit_id: int, phase_id: int
                           ) -> dict[int, str]:
    """criterion id -> the titles of the activities whose attendance filled the unit's
    value in the phase (what /report names as the value's source)."""
    fills = await fills_of(conn, unit_id, phase_id)
    if not fills:
        return {}
    ids = sorted({i for f in fills.values() for i in f.activity_ids})
    query = select(activities.c.id, activities.c.title).where(activities.c.id.in_(ids))
    titles = {row.id: row.title for row in await conn.execute(query)}
    return {criterion_id: "; ".join(titles[i] for i in fill.activity_ids if i in titles)
            for criterion_id, fill in fills.items()}
