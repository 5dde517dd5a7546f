"""The audit trail's two services beside the changes themselves.

Refusals: a press or a command someone had no right to make (a private button forged onto
a group message, another unit's report), with who tried, in which block and unit, and what
they sent, so the office can see attempts, not only changes. Repeats of the same refusal
by the same person within a minute add to one row's count instead of a row each, so a
flood of forged presses cannot grow the log without bound.

Decisions: who changed something and when, as a person whose screen was stale is told
("Nguyễn Văn A (Văn phòng Tỉnh ủy) đã thẩm định … lúc 01/03/2023 09:05") when the change
they pressed for is refused because someone decided first (compare-and-set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.access import Caller
from bot.services.clock import Clock
from storage import audit as audit_repo
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Unit


async def record_refusal(
    db: Database, clock: Clock, caller: Caller, action: str, subject: str | None
) -> None:
    """Record a refused press or command (`subject`: the button's data, the command's text,
    as the handler read them): a new row, or one more on this minute's row of the same
    person and action (storage.audit.record_refusal)."""
    async with db.transaction() as conn:
        await audit_repo.record_refusal(
            conn, at=clock.now(), action=action,
            block_id=caller.block.id if caller.block else None,
            actor_tg_id=caller.tg_user_id,
            actor_unit_id=caller.unit.id if caller.unit else None,
            subject=subject,
        )


@dataclass(frozen=True)
class Decision:
    """A change someone made: `what` is the feature's word for it ("accepted", "published",
    "sent", ...), `detail` what it concerned when that matters (a criterion's title, a
    version's number). `name` and `unit` are the person as the block knows them; None for
    someone who is no representative (a bot administrator) or for the bot itself."""

    what: str
    at: datetime
    by_tg_id: int | None
    name: str | None = None
    unit: Unit | None = None
    detail: str | None = None


async def decision(
    conn: AsyncConnection, block_id: int, what: str, at: datetime, by_tg_id: int | None,
    detail: str | None = None,
) -> Decision:
    """The decision with the decider's name and unit read from the block's members."""
    if by_tg_id is None:
        return Decision(what, at, None, detail=detail)
    member = await members_repo.get_membership(conn, block_id, by_tg_id)
    if member is None:
        return Decision(what, at, by_tg_id, detail=detail)
    unit = await blocks_repo.get_unit(conn, member.unit_id)
    return Decision(what, at, by_tg_id, member.full_name, unit, detail)
