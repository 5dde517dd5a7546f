"""«🚫 Gỡ …» under a registration in the chair's digest: the chair removes a representative
it does not recognise from the chat itself, after a confirmation, instead of by a command
on the server. Rights come from the database (a chair unit's representative, or an admin);
the removal is audited and the removed person is told."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services import notify
from bot.services.access import unit_has_chair_rights
from bot.services.clock import Clock
from bot.services.digest.callbacks import RemovalPress
from bot.texts import Catalog
from storage import audit
from storage import blocks as blocks_repo
from storage import digest as digest_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Block


class Removal(StrEnum):
    ASK = "ask"  # show the confirmation
    REMOVED = "removed"
    KEPT = "kept"
    GONE = "gone"  # removed already, or moved to another unit
    SELF = "self"
    REFUSED = "refused"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RemovalResult:
    outcome: Removal
    name: str = ""
    unit: str = ""
    block: Block | None = None
    queued: int = 0  # the removed person's notice: wake the outbox


async def removal_step(db: Database, clock: Clock, texts: Catalog, *, tg_user_id: int,
                       admin_ids: frozenset[int], press: RemovalPress) -> RemovalResult:
    now = clock.now()
    async with db.transaction() as conn:
        item = await digest_repo.get_item(conn, press.item_id)
        block = await blocks_repo.get_block(conn, item.block_id) if item else None
        if item is None or block is None or item.kind != "registration" \
                or item.tg_user_id is None:
            return RemovalResult(Removal.UNKNOWN)
        tree = await blocks_repo.load_tree(conn, block)
        mine = await members_repo.get_membership(conn, block.id, tg_user_id)
        chair = mine is not None and mine.active and unit_has_chair_rights(
            block, tree.unit(mine.unit_id))
        if not chair and tg_user_id not in admin_ids:
            await audit.record_refusal(conn, at=now, action="member.remove-refused",
                                       block_id=block.id, actor_tg_id=tg_user_id,
                                       subject=str(item.tg_user_id))
            return RemovalResult(Removal.REFUSED, block=block)
        unit = tree.unit(item.unit_id)
        name, unit_name = str(item.details.get("name", "?")), unit.name if unit else "?"
        found = RemovalResult(Removal.ASK, name, unit_name, block)
        member = await members_repo.get_membership(conn, block.id, item.tg_user_id)
        if member is None or not member.active or member.unit_id != item.unit_id:
            return RemovalResult(Removal.GONE, name, unit_name, block)
        if press.step == "ask":
            return found
        if press.step == "keep":
            return RemovalResult(Removal.KEPT, name, unit_name, block)
        if item.tg_user_id == tg_user_id:
            return RemovalResult(Removal.SELF, name, unit_name, block)
        await members_repo.deactivate(conn, block.id, item.tg_user_id)
        await audit.record(
            conn, at=now, action="member.removed", block_id=block.id,
            actor_tg_id=tg_user_id, actor_unit_id=mine.unit_id if mine else None,
            subject=str(item.tg_user_id),
            before={"name": member.full_name, "unit_id": member.unit_id},
            after={"via": "digest", "item": item.id})
        dedupe = f"member-removed:{block.id}:{member.id}:{now:%Y%m%d%H%M%S}"
        queued = await notify.queue(
            conn, texts, await notify.people(conn, block, [member]), "digest-removed-notice",
            block=block, batch=dedupe, dedupe=dedupe, now=now,
            params={"unit": unit_name, "block": block.name})
    return RemovalResult(Removal.REMOVED, name, unit_name, block, queued)
