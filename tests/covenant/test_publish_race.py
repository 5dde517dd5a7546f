"""Publishing from a stale preview (issue 26.6): the preview carries the newest publication
it knew of, and publishing goes ahead only while that is still the newest. A second chair
(or a second screen, or the block file's edit going out) that came first is named, with
the time; nothing is sent twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.services.covenant.versions import Publish, confirm_key, draft_of, publish
from bot.services.covenant.views import preview_publish
from storage import audit
from storage import members as members_repo
from storage.outbox.tables import outbox
from tests.covenant.conftest import World

CHAIR_B = 9005  # a second representative of the chair's unit


async def second_chair(world: World) -> None:
    async with world.db.transaction() as conn:
        await members_repo.add_member(
            conn, block_id=world.block.id, unit_id=world.unit("VPTU").id, tg_user_id=CHAIR_B,
            full_name="Trần Thị B", username=None, language_code="vi", now=world.clock.now(),
        )


async def confirm(world: World, mark: int, by: int, round_key: str) -> Any:
    draft = draft_of(world.block)
    assert draft is not None
    return await publish(world.db, world.clock, world.texts, block_id=world.block.id,
                         actor_tg_id=by, expected=confirm_key(draft), round_key=round_key,
                         mark=mark)


async def copies_to(world: World, code: str) -> int:
    async with world.db.read() as conn:
        query = select(func.count()).select_from(outbox).where(
            outbox.c.chat_id == world.rep(code))
        return int((await conn.execute(query)).scalar_one())


async def publications(world: World) -> int:
    async with world.db.read() as conn:
        return len(await audit.entries(conn, block_id=world.block.id,
                                       action="covenant.published"))


async def test_a_second_chair_on_an_old_preview_is_told_who_published(world: World) -> None:
    await second_chair(world)
    seen_a = await preview_publish(world.db, world.block)
    seen_b = await preview_publish(world.db, world.block)
    assert seen_a.mark == seen_b.mark == 0
    first = await confirm(world, seen_a.mark, world.rep("VPTU"), "pA")
    assert first.outcome is Publish.PUBLISHED
    world.clock.advance(timedelta(minutes=3))
    second = await confirm(world, seen_b.mark, CHAIR_B, "pB")
    # without the check, B's confirmation re-sent the covenant to every unit
    assert second.outcome is Publish.STALE
    decision = second.decision
    assert decision is not None and decision.what == "published" and decision.detail == "1"
    assert decision.by_tg_id == world.rep("VPTU") and decision.name == "Đại diện VPTU"
    assert decision.unit is not None and decision.unit.code == "VPTU"
    assert decision.at == world.clock.now() - timedelta(minutes=3)
    assert await copies_to(world, "UBKT") == 1
    assert await publications(world) == 1


async def test_two_confirmations_at_once_publish_once(world: World) -> None:
    await second_chair(world)
    mark = (await preview_publish(world.db, world.block)).mark
    results = await asyncio.gather(confirm(world, mark, world.rep("VPTU"), "pA"),
                                   confirm(world, mark, CHAIR_B, "pB"))
    assert sorted(r.outcome.value for r in results) == sorted(
        [Publish.PUBLISHED.value, Publish.STALE.value])
    assert await publications(world) == 1
    assert await copies_to(world, "UBKT") == 1


async def test_a_resend_on_an_old_preview_is_not_sent_twice(world: World) -> None:
    await second_chair(world)
    await confirm(world, 0, world.rep("VPTU"), "p1")
    mark = (await preview_publish(world.db, world.block)).mark
    assert mark > 0
    again = await confirm(world, mark, CHAIR_B, "p2")
    assert again.outcome is Publish.RESENT
    late = await confirm(world, mark, world.rep("VPTU"), "p3")
    assert late.outcome is Publish.STALE and late.decision is not None
    assert late.decision.what == "resent" and late.decision.by_tg_id == CHAIR_B
    assert await copies_to(world, "UBKT") == 2  # the first publication and one resend


async def test_the_block_files_edit_going_out_makes_a_preview_stale(world: World) -> None:
    await confirm(world, 0, world.rep("VPTU"), "p1")
    mark = (await preview_publish(world.db, world.block)).mark
    assert world.spec.covenant is not None
    await world.resetup(title=world.spec.covenant.title + " (sửa đổi)")  # published by setup
    late = await confirm(world, mark, world.rep("VPTU"), "p2")
    assert late.outcome is Publish.STALE and late.decision is not None
    assert (late.decision.what, late.decision.by_tg_id, late.decision.detail) == (
        "changed", None, "2")


async def test_a_double_press_says_when_it_was_done(world: World) -> None:
    first = await confirm(world, 0, world.rep("VPTU"), "p1")
    again = await confirm(world, 0, world.rep("VPTU"), "p1")
    assert first.outcome is Publish.PUBLISHED and again.outcome is Publish.DONE_BEFORE
    assert again.decision is not None and again.decision.by_tg_id == world.rep("VPTU")
    assert await publications(world) == 1
