"""The chair's digest, as a service: the first item of a quiet hour at once, the next ones
gathered into one digest an hour after it ("hourly"), or at 17:00 ("daily"), or each at
once ("immediate"); the planned digest is a row (it survives a restart) that the wake-up
finds; every item has its button; a registration is removed with confirmation and audit."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.buttons import from_json
from bot.services.digest.callbacks import RemovalPress, parse_removal, removal_data
from bot.services.digest.chair import note_registration, note_submission, send_due_digests
from bot.services.digest.removal import Removal, removal_step
from bot.services.review.callbacks import OpenUnit, parse
from storage import digest as digest_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.digest.tables import digest_items
from storage.outbox.tables import outbox
from storage.records import Block
from storage.reminders import next_due_at
from storage.tables import audit_log
from tests.reports.conftest import BBT_TG, CHAIR_TG, UBKT_TG, World, local

VICE_TG = 1002  # a representative of the vice-chair unit (BTG)


async def with_vice_chair(world: World) -> None:
    async with world.db.transaction() as conn:
        await members_repo.add_member(conn, block_id=world.block.id,
                                      unit_id=world.unit("BTG").id, tg_user_id=VICE_TG,
                                      full_name="Phó", username=None, language_code="vi",
                                      now=world.clock.now())


def mode(world: World, rhythm: str) -> Block:
    return dataclasses.replace(world.block, settings={**world.block.settings,
                                                      "chair_digest": rhythm})


async def registered(world: World, block: Block, tg: int, name: str, unit: str = "BTC") -> int:
    """`name` registers for `unit` (as redeem does: the member, then the digest item)."""
    async with world.db.transaction() as conn:
        if await members_repo.get_membership(conn, block.id, tg) is None:
            await members_repo.add_member(conn, block_id=block.id, unit_id=world.unit(unit).id,
                                          tg_user_id=tg, full_name=name, username=None,
                                          language_code="vi", now=world.clock.now())
        return await note_registration(conn, world.texts, block=block, unit=world.unit(unit),
                                       tg_user_id=tg, name=name, now=world.clock.now())


async def digests_to(world: World, chat_id: int) -> list[outbox_repo.OutboxRow]:
    async with world.db.read() as conn:
        rows = await outbox_repo.batch_rows(conn, f"digest:{world.block.id}")
    return [r for r in rows if r.chat_id == chat_id]


async def test_hourly_first_at_once_then_one_digest_an_hour_later(world: World) -> None:
    block = mode(world, "hourly")
    world.clock.set(local(2023, 3, 1, 9, 0))
    assert await registered(world, block, 5001, "Người thứ nhất") == 1  # at once
    world.clock.advance(timedelta(minutes=10))
    assert await registered(world, block, 5002, "Người thứ hai") == 0
    world.clock.advance(timedelta(minutes=20))
    assert await registered(world, block, 5003, "Người thứ ba", unit="BDV") == 0
    async with world.db.read() as conn:
        # planned an hour after the last digest, and the wake-up knows of it
        assert await next_due_at(conn) == local(2023, 3, 1, 10, 0)
    world.clock.set(local(2023, 3, 1, 9, 59))
    assert await send_due_digests(world.db, world.clock, world.texts) == 0
    world.clock.set(local(2023, 3, 1, 10, 0))
    assert await send_due_digests(world.db, world.clock, world.texts) == 1
    assert await send_due_digests(world.db, world.clock, world.texts) == 0  # sent once
    _, second = await digests_to(world, CHAIR_TG)
    text = second.parts[0]["text"]
    assert "(2 mục)" in text and "Người thứ hai – Ban Tổ chức Tỉnh ủy" in text
    assert "Người thứ ba – Ban Dân vận Tỉnh ủy" in text and "BTC" not in text
    labels = [b.label for row in from_json(second.reply_markup) for b in row]
    assert labels == ["🚫 Gỡ Người thứ hai", "🚫 Gỡ Người thứ ba"]
    # a quiet hour later, the next one goes at once again
    world.clock.set(local(2023, 3, 1, 11, 30))
    assert await registered(world, block, 5004, "Người thứ tư") == 1


async def test_daily_at_five_and_immediate(world: World) -> None:
    daily = mode(world, "daily")
    world.clock.set(local(2023, 3, 1, 9, 0))
    assert await registered(world, daily, 5001, "A") == 0
    world.clock.set(local(2023, 3, 1, 16, 0))
    assert await registered(world, daily, 5002, "B") == 0
    async with world.db.read() as conn:
        assert await next_due_at(conn) == local(2023, 3, 1, 17, 0)
    world.clock.set(local(2023, 3, 1, 17, 0))
    assert await send_due_digests(world.db, world.clock, world.texts) == 1
    world.clock.set(local(2023, 3, 1, 18, 0))  # after 17:00: tomorrow's
    assert await registered(world, daily, 5003, "C") == 0
    async with world.db.read() as conn:
        assert await next_due_at(conn) == local(2023, 3, 2, 17, 0)
    immediate = mode(world, "immediate")
    world.clock.set(local(2023, 3, 2, 8, 0))
    async with world.db.transaction() as conn:  # a new block rhythm: the planned one stays
        [planned] = [d for d in await digest_repo.digests_of(conn, world.block.id)
                     if d.state == "planned"]
        await digest_repo.mark_sent(conn, planned.id, [], world.clock.now())
    assert await registered(world, immediate, 5004, "D") == 1
    assert await registered(world, immediate, 5005, "E") == 1


async def test_each_chair_gets_what_others_did(world: World) -> None:
    await with_vice_chair(world)
    phase = world.phase("DOT1")
    async with world.db.transaction() as conn:
        queued = await note_submission(
            conn, world.texts, block=world.block, unit=world.unit("VPTU"), phase=phase,
            report_id=41, self_total=Decimal("90.5"), late=False, resubmitted=False,
            actor_tg_id=CHAIR_TG, now=world.clock.now())
    assert queued == 1  # the chair's own submission goes to the vice-chair only
    [row] = await digests_to(world, VICE_TG)
    assert row.chat_id == VICE_TG
    assert "Văn phòng Tỉnh ủy – Đợt 1, tự chấm 90,5 điểm" in row.parts[0]["text"]
    [[button]] = from_json(row.reply_markup)
    assert button.data is not None and parse(button.data) == OpenUnit(41)


def test_removal_data_round_trips() -> None:
    for step in ("ask", "confirm", "keep"):
        data = removal_data(step, 10**18 - 1)  # type: ignore[arg-type]
        assert len(data.encode()) <= 64
        assert parse_removal(data) == RemovalPress(step, 10**18 - 1)  # type: ignore[arg-type]
    for bad in ("dg:rx:1", "dg:rm:", "dg:rm:1:2", "dg:rm:" + "1" * 19):
        assert parse_removal(bad) is None


@pytest.fixture
async def item(world: World) -> int:
    """UBKT's representative registered; the digest item of it."""
    await registered(world, world.block, UBKT_TG, "Người lạ", unit="UBKT")
    async with world.db.read() as conn:
        return int((await conn.execute(select(digest_items.c.id))).scalar_one())


async def test_a_chair_removes_a_registration_with_confirmation(world: World, item: int
                                                                ) -> None:
    async def step(tg: int, which: str) -> Removal:
        result = await removal_step(world.db, world.clock, world.texts, tg_user_id=tg,
                                    admin_ids=frozenset(),
                                    press=RemovalPress(which, item))  # type: ignore[arg-type]
        return result.outcome

    assert await step(BBT_TG, "confirm") is Removal.REFUSED  # not a chair
    assert await step(CHAIR_TG, "ask") is Removal.ASK
    assert await step(CHAIR_TG, "keep") is Removal.KEPT
    async with world.db.read() as conn:
        member = await members_repo.get_membership(conn, world.block.id, UBKT_TG)
    assert member is not None and member.active  # asking and keeping change nothing
    assert await step(CHAIR_TG, "confirm") is Removal.REMOVED
    assert await step(CHAIR_TG, "confirm") is Removal.GONE  # a second press
    async with world.db.read() as conn:
        member = await members_repo.get_membership(conn, world.block.id, UBKT_TG)
        actions = list((await conn.execute(
            select(audit_log.c.action, audit_log.c.actor_tg_id))).all())
        told = [parts[0]["text"] for parts in (await conn.execute(
            select(outbox.c.parts).where(outbox.c.chat_id == UBKT_TG))).scalars()]
    assert member is not None and not member.active
    assert ("member.removed", CHAIR_TG) in actions
    assert ("member.remove-refused", BBT_TG) in actions
    assert any("không còn là đại diện của <b>Ủy ban Kiểm tra Tỉnh ủy</b>" in t for t in told)
