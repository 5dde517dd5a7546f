"""The block file's [[activities]] into the database, inside setup's transaction.

Matched by code: new ones are added and planned (the running bot announces them within a
minute), changed ones updated and re-planned, missing ones cancelled (their answers and
attendance stay). A new activity, or one moved, whose start is already past is a problem
of the file: setup raises BlockFileError and its transaction writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.blockfile.model import ActivitySpec, BlockFileError, BlockFileProblem
from bot.services.activities.schedule import plan_activity
from storage import activities as repo
from storage import blocks as blocks_repo
from storage.activities.records import CANCELLED, OPEN

_FIELDS = ("title", "kind", "place", "starts_at", "ends_at", "answer_by", "criterion_code",
           "absence_penalty")


def _values(spec: ActivitySpec) -> dict[str, Any]:
    return {"title": spec.title, "kind": spec.kind, "place": spec.place,
            "starts_at": spec.starts, "ends_at": spec.ends, "answer_by": spec.answer_by,
            "criterion_code": spec.criterion, "absence_penalty": spec.absence_penalty}


async def sync_file_activities(conn: AsyncConnection, block_id: int,
                               specs: tuple[ActivitySpec, ...], now: datetime) -> list[str]:
    """Apply the file's activities; the changes as setup lists them."""
    block = await blocks_repo.get_block(conn, block_id)
    assert block is not None
    existing = {a.code: a for a in await repo.block_activities(conn, block_id)}
    problems = []
    for index, spec in enumerate(specs):
        old = existing.get(spec.code)
        if old is not None and old.source != "file":
            problems.append(BlockFileProblem(f"activities[{index}].code",
                                             f'"{spec.code}" is an activity created in Telegram'))
        elif (old is None or old.starts_at != spec.starts) and spec.starts <= now:
            problems.append(BlockFileProblem(
                f"activities[{index}].starts",
                f"{spec.starts:%Y-%m-%dT%H:%M} is in the past; an activity is announced "
                "before it happens"))
    if problems:
        raise BlockFileError(problems)
    changes = []
    for spec in specs:
        old = existing.pop(spec.code, None)
        values = _values(spec)
        if old is None:
            activity_id = await repo.insert_activity(conn, {
                **values, "block_id": block_id, "code": spec.code, "source": "file",
                "state": OPEN, "created_at": now, "updated_at": now})
            changes.append(f"activities.{spec.code}: added")
        else:
            activity_id = old.id
            diff = sorted(k for k in _FIELDS if getattr(old, k) != values[k])
            if not diff and old.state == OPEN:
                continue
            await repo.update_activity(conn, old.id, **values, state=OPEN, updated_at=now)
            changes.append(f"activities.{spec.code}: changed ({', '.join(diff or ['state'])})")
        activity = await repo.get_activity(conn, activity_id)
        assert activity is not None
        await plan_activity(conn, activity, block, now)
    for code, old in existing.items():
        if old.source == "file" and old.state == OPEN:
            await repo.update_activity(conn, old.id, state=CANCELLED, updated_at=now)
            cancelled = await repo.get_activity(conn, old.id)
            assert cancelled is not None
            await plan_activity(conn, cancelled, block, now)
            changes.append(f"activities.{code}: removed (cancelled)")
    return changes
