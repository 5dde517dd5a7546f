"""Refused presses are audited without a row each (issue 26.9): the same person's same
refusal within a minute adds to one row's count, so a flood of forged or stale presses
writes a row per person, action and minute."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from bot.services.access import Caller
from bot.services.audit import record_refusal
from storage import audit
from tests.reports.conftest import BBT_TG, CHAIR_TG, UBKT_TG, World, local

ACTIONS = ("report.forged-press", "review.forged-press", "button.refused-in-group")


def caller(world: World, tg: int) -> Caller:
    return Caller(tg_user_id=tg, is_admin=False, language="vi", block=world.block)


async def test_hundreds_of_refusals_make_a_row_per_person_action_and_minute(
    world: World
) -> None:
    rng = random.Random(26)
    people = (CHAIR_TG, BBT_TG, UBKT_TG, 9_999_999)
    start = local(2023, 3, 1, 9, 0)
    seen: set[tuple[int, str, int]] = set()
    for n in range(500):
        world.clock.set(start + timedelta(seconds=n * 0.6))  # five minutes of presses
        tg, action = rng.choice(people), rng.choice(ACTIONS)
        await record_refusal(world.db, world.clock, caller(world, tg), action,
                             f"rp:o:{rng.randrange(10**6)}")
        seen.add((tg, action, int(n * 0.6) // 60))
    async with world.db.read() as conn:
        rows = await audit.entries(conn)
    refused = [r for r in rows if r.action in ACTIONS]
    assert len(refused) == len(seen) <= len(people) * len(ACTIONS) * 5
    assert sum(audit.repeats(r) for r in refused) == 500
    # each row keeps who, where and the first press's data
    assert all(r.block_id == world.block.id and r.subject for r in refused)


async def test_refusals_at_once_share_their_row(world: World) -> None:
    who = caller(world, BBT_TG)
    await asyncio.gather(*(record_refusal(world.db, world.clock, who, "review.forged-press",
                                          "rv:a:1") for _ in range(30)))
    async with world.db.read() as conn:
        rows = await audit.entries(conn, action="review.forged-press")
    assert len(rows) == 1 and audit.repeats(rows[0]) == 30 and rows[0].after == {"count": 30}


async def test_a_new_minute_or_another_person_starts_a_row(world: World) -> None:
    world.clock.set(local(2023, 3, 1, 9, 0, 59))
    await record_refusal(world.db, world.clock, caller(world, BBT_TG), "x.refused", "a")
    world.clock.set(local(2023, 3, 1, 9, 1, 0))
    await record_refusal(world.db, world.clock, caller(world, BBT_TG), "x.refused", "b")
    await record_refusal(world.db, world.clock, caller(world, UBKT_TG), "x.refused", "c")
    await record_refusal(world.db, world.clock, caller(world, UBKT_TG), "x.refused", "d")
    async with world.db.read() as conn:
        rows = await audit.entries(conn, action="x.refused")
    assert [(r.actor_tg_id, r.subject, audit.repeats(r)) for r in rows] == [
        (BBT_TG, "a", 1), (BBT_TG, "b", 1), (UBKT_TG, "c", 2)]
    # outside any block (a stranger's press) too
    stranger = Caller(tg_user_id=5, is_admin=False, language="vi")
    for _ in range(3):
        await record_refusal(world.db, world.clock, stranger, "x.refused", "e")
    async with world.db.read() as conn:
        rows = await audit.entries(conn, action="x.refused")
    assert [(r.block_id, audit.repeats(r)) for r in rows if r.actor_tg_id == 5] == [(None, 3)]
