"""Where a notice stands: delivered, failed, confirmed, per unit (pure reads)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import announcements as repo
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.announcements import Ack, Announcement, Recipient
from storage.db import Database
from storage.outbox.records import DeliveryRow, State
from storage.records import Block, BlockTree, Unit

RECENT_LIMIT = 10  # notices listed by /announcements
FAILED_STATES = (State.FAILED, State.UNREACHABLE)


@dataclass(frozen=True)
class Standing:
    """Which units were asked to confirm, and which did."""

    ack_units: tuple[Unit, ...]
    acks: dict[int, Ack]

    @property
    def pending_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.ack_units if u.id not in self.acks)

    @property
    def acked(self) -> int:
        return sum(1 for u in self.ack_units if u.id in self.acks)


def ack_units(tree: BlockTree, announcement: Announcement) -> tuple[Unit, ...]:
    """The active units of the notice's block asked to confirm it: those it was addressed
    to, but the sending unit."""
    assert tree.block.id == announcement.block_id
    chosen = announcement.unit_ids if announcement.to_units else None
    return tuple(
        u for u in tree.units
        if (chosen is None or u.id in chosen) and u.id != announcement.author_unit_id
    )


async def standing(conn: AsyncConnection, announcement: Announcement, block: Block) -> Standing:
    """Which units of the notice's `block` were asked to confirm, and which did."""
    tree = await blocks_repo.load_tree(conn, block)
    return Standing(ack_units=ack_units(tree, announcement),
                    acks=await repo.acks_of(conn, announcement.id))


@dataclass(frozen=True)
class Line:
    recipient: Recipient
    row: DeliveryRow | None

    @property
    def state(self) -> State:
        return self.row.state if self.row else State.PENDING


@dataclass(frozen=True)
class Report:
    announcement: Announcement
    block: Block
    standing: Standing
    lines: tuple[Line, ...]
    names: dict[int, str]  # tg_user_id -> full name, for the failure list

    def count(self, *states: State) -> int:
        return sum(1 for line in self.lines if line.state in states)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def sent(self) -> int:
        return self.count(State.SENT)

    @property
    def failed(self) -> tuple[Line, ...]:
        return tuple(ln for ln in self.lines if ln.state in FAILED_STATES)

    @property
    def queued(self) -> int:
        return self.count(State.PENDING, State.SENDING)

    @property
    def units_without_reps(self) -> tuple[Unit, ...]:
        reached = {ln.recipient.unit_id for ln in self.lines}
        return tuple(u for u in self.standing.ack_units if u.id not in reached)

    def lines_of(self, unit_id: int) -> tuple[Line, ...]:
        return tuple(ln for ln in self.lines if ln.recipient.unit_id == unit_id)


async def report_in(conn: AsyncConnection, announcement: Announcement) -> Report:
    block = await blocks_repo.get_block(conn, announcement.block_id)
    assert block is not None
    recipients = await repo.recipients_of(conn, announcement.id)
    rows = await outbox_repo.delivery_rows(conn, [r.dedupe_key for r in recipients])
    lines = tuple(Line(r, rows.get(r.dedupe_key)) for r in recipients)
    # Names are for the failure list only: most reports (every progress refresh while a
    # notice is confirmed) have no failure and skip reading the block's members.
    names = ({m.tg_user_id: m.full_name for m in await members_repo.block_members(conn, block.id)}
             if any(line.state in FAILED_STATES for line in lines) else {})
    return Report(
        announcement=announcement,
        block=block,
        standing=await standing(conn, announcement, block),
        lines=lines,
        names=names,
    )


@dataclass(frozen=True)
class GroupCounter:
    """What the group copy's live counter shows, and where that copy is."""

    announcement: Announcement
    block: Block
    standing: Standing
    row: DeliveryRow | None  # the group copy's delivery; None until it is queued


async def group_counter(db: Database, announcement_id: int) -> GroupCounter | None:
    """The counter of a notice asking for "received" in a group (None otherwise): the group
    copy's row and the confirmations only, not every recipient's delivery (it is edited
    every few seconds while units confirm)."""
    async with db.read() as conn:
        announcement = await repo.get_announcement(conn, announcement_id)
        if announcement is None or not announcement.ask_ack:
            return None
        group = await repo.group_recipient(conn, announcement_id)
        if group is None:
            return None
        block = await blocks_repo.get_block(conn, announcement.block_id)
        assert block is not None
        rows = await outbox_repo.delivery_rows(conn, [group.dedupe_key])
        return GroupCounter(announcement, block, await standing(conn, announcement, block),
                            rows.get(group.dedupe_key))


async def report(db: Database, announcement_id: int) -> Report | None:
    async with db.read() as conn:
        announcement = await repo.get_announcement(conn, announcement_id)
        return await report_in(conn, announcement) if announcement else None


async def recent_reports(db: Database, block_id: int, limit: int = RECENT_LIMIT) -> list[Report]:
    async with db.read() as conn:
        return [await report_in(conn, a) for a in await repo.recent(conn, block_id, limit)]
