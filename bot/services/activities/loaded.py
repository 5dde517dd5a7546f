"""An activity read with what every use case of it needs: its block's tree, the criterion
it fills and the units' answers, in the caller's connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.activities.wording import Standing
from storage import activities as repo
from storage import blocks as blocks_repo
from storage.activities.records import Activity, Answer
from storage.records import Block, BlockTree, Criterion, Phase


@dataclass(frozen=True)
class Loaded:
    activity: Activity
    tree: BlockTree
    answers: dict[int, Answer]

    @property
    def block(self) -> Block:
        return self.tree.block

    @property
    def criterion(self) -> Criterion | None:
        return criterion_of(self.tree, self.activity.criterion_code)

    @property
    def standing(self) -> Standing:
        return Standing(self.tree.units, self.answers)

    @property
    def phase(self) -> Phase | None:
        return phase_on(self.tree, self.activity.starts_at.astimezone(self.block.tz).date())


def criterion_of(tree: BlockTree, code: str | None) -> Criterion | None:
    return next((c for c in tree.criteria if c.code == code), None) if code else None


def phase_on(tree: BlockTree, day: date) -> Phase | None:
    """The phase whose dates hold `day`: the phase of an activity held that day."""
    return next((p for p in tree.phases if p.start <= day <= p.end), None)


async def load(conn: AsyncConnection, activity_id: int, *, block_id: int | None = None
               ) -> Loaded | None:
    """The activity, or None if there is none (or it is not `block_id`'s)."""
    activity = await repo.get_activity(conn, activity_id)
    if activity is None or (block_id is not None and activity.block_id != block_id):
        return None
    block = await blocks_repo.get_block(conn, activity.block_id)
    if block is None:
        return None
    tree = await blocks_repo.load_tree(conn, block)
    return Loaded(activity, tree, await repo.answers_of(conn, activity.id))
