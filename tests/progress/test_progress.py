"""The group's progress message, as a service: the phase's opening notice is its progress
message; each submission and signature changes it in place (an edit through the outbox,
or, before the post is delivered, an edit queued at its delivery); a later phase's message
takes over and the pins follow."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.outbox import Delivery, Progress, State
from bot.services.progress.posts import (
    open_phase_post,
    pins_to_make,
    post_batch,
    post_delivered,
    refresh,
)
from bot.services.progress.texts import Counts, progress_line
from storage import blocks as blocks_repo
from storage import outbox as outbox_repo
from storage import progress as repo
from storage.progress.records import ProgressPost
from tests.reports.conftest import UBKT_TG, World, local
from tests.reports.helpers import fill, submit

GROUP = -100_321


async def bound(world: World) -> World:
    async with world.db.transaction() as conn:
        await blocks_repo.bind_group(conn, world.block.id, GROUP)
        block = await blocks_repo.get_block(conn, world.block.id)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    return World(world.db, world.clock, world.texts, tree)


async def the_post(world: World) -> ProgressPost:
    async with world.db.read() as conn:
        [post] = await repo.open_posts(conn, world.block.id)
    return post


async def group_rows(world: World, post_id: int) -> list[outbox_repo.OutboxRow]:
    async with world.db.read() as conn:
        return await outbox_repo.batch_rows(conn, post_batch(post_id))


def delivered(post_id: int, message_id: int = 77) -> Delivery:
    batch = post_batch(post_id)
    return Delivery(row_id=1, batch=batch, dedupe_key=f"{batch}:post", chat_id=GROUP,
                    state=State.SENT, message_id=message_id, error=None, tg_user_id=None,
                    block_id=1, progress=Progress(batch, 1, 1, 0, 0))


def test_the_line_reads_as_the_issue_asks(world: World) -> None:
    phase = world.phase("DOT1")
    counts = Counts(now=local(2023, 3, 1, 9, 0), total=9, signed=7,
                    sign_by=local(2023, 3, 17, 17, 0), handed=5, phase=phase)
    line = progress_line(world.texts, "vi", world.block, counts)
    assert line == ("📌 <b>Tiến độ</b>: Đã ký giao ước 7/9 · Hạn ký 17 giờ 00, ngày 17/3/2023"
                    " · Đã nộp báo cáo Đợt 1: 5/9 · Hạn nộp 17 giờ 00, ngày 20/6/2023")
    after = Counts(now=phase.report_due + timedelta(hours=1), total=9, handed=9, phase=phase)
    assert progress_line(world.texts, "en", world.block, after) == (
        "📌 <b>Progress</b>: Đợt 1 reports in: 9/9 · Deadline passed (17:00, 20/6/2023)")


async def test_posted_edited_in_place_and_taken_over(world: World) -> None:
    world = await bound(world)
    now = world.clock.now()
    async with world.db.transaction() as conn:
        assert await open_phase_post(conn, world.texts, world.block, world.phase("DOT1"), now) == 1
        # the round may run twice (a restart): one message per phase
        assert await open_phase_post(conn, world.texts, world.block, world.phase("DOT1"), now) == 0
    post = await the_post(world)
    [row] = await group_rows(world, post.id)
    assert row.chat_id == GROUP and row.parts[0]["kind"] == "text"
    assert "Bắt đầu <b>Đợt 1</b>" in post.text and "Đã nộp báo cáo Đợt 1: 0/9" in post.text

    # A report comes in before the post is delivered: no edit yet, the row keeps the text
    await fill(world, "BBT")
    await submit(world, "BBT")
    post = await the_post(world)
    assert "Đã nộp báo cáo Đợt 1: 1/9" in post.text and (post.version, post.shown) == (2, 1)
    assert len(await group_rows(world, post.id)) == 1

    # Delivered: its id is kept and the change is edited in
    assert await post_delivered(world.db, world.clock, delivered(post.id))
    rows = await group_rows(world, post.id)
    assert [r.parts[0]["kind"] for r in rows] == ["text", "edit"]
    assert rows[1].parts[0]["message_id"] == 77 and "1/9" in rows[1].parts[0]["text"]
    assert not await post_delivered(world.db, world.clock, delivered(post.id))  # once

    # Later changes are edits straight away; a refresh that changes nothing edits nothing
    await fill(world, "UBKT", tg=UBKT_TG)
    await submit(world, "UBKT", tg=UBKT_TG)
    async with world.db.transaction() as conn:
        assert await refresh(conn, world.texts, world.block, world.clock.now()) == 0
    rows = await group_rows(world, post.id)
    assert len(rows) == 3 and "Đã nộp báo cáo Đợt 1: 2/9" in rows[2].parts[0]["text"]
    assert [(p.pin, p.message_id) for p in await pins_to_make(world.db)] == [(True, 77)]

    # The next phase's message takes over: the old one is unpinned, no longer edited
    async with world.db.transaction() as conn:
        await repo.set_pinned(conn, post.id, True)
        await open_phase_post(conn, world.texts, world.block, world.phase("DOT2"), now)
    dot2 = await the_post(world)
    assert dot2.subject == "DOT2" and "Đã ký giao ước" not in dot2.text  # no covenant yet
    assert [(p.post_id, p.pin) for p in await pins_to_make(world.db)] == [(post.id, False)]
    assert not await post_delivered(world.db, world.clock, Delivery(
        row_id=2, batch="ranking:1", dedupe_key="ranking:1:group", chat_id=GROUP,
        state=State.SENT, message_id=5, error=None, tg_user_id=None, block_id=1,
        progress=Progress("ranking:1", 1, 1, 0, 0)))  # another feature's batch


async def test_no_group_no_message(world: World) -> None:
    async with world.db.transaction() as conn:
        assert await open_phase_post(conn, world.texts, world.block, world.phase("DOT1"),
                                     world.clock.now()) == 0
        assert await refresh(conn, world.texts, world.block, world.clock.now(),
                             post_if_none=True) == 0


async def test_a_deleted_message_is_posted_again_at_the_next_change(world: World) -> None:
    world = await bound(world)
    async with world.db.transaction() as conn:
        await open_phase_post(conn, world.texts, world.block, world.phase("DOT1"),
                              world.clock.now())
    post = await the_post(world)
    await post_delivered(world.db, world.clock, delivered(post.id))
    gone = dataclasses.replace(delivered(post.id), dedupe_key=f"{post_batch(post.id)}:v2",
                               state=State.FAILED,
                               error="Bad Request: message to edit not found")
    assert not await post_delivered(world.db, world.clock, gone)
    assert (await the_post(world)).message_id is None
    await fill(world, "BBT")
    await submit(world, "BBT")  # the next change posts the message again
    rows = await group_rows(world, post.id)
    assert [r.parts[0]["kind"] for r in rows] == ["text", "text"]
    assert "Đã nộp báo cáo Đợt 1: 1/9" in rows[1].parts[0]["text"]
    assert await post_delivered(world.db, world.clock, dataclasses.replace(
        delivered(post.id, message_id=88), dedupe_key=rows[1].dedupe_key)) is False
    assert (await the_post(world)).message_id == 88  # edited from now on
