"""Automatic posts: planned after each deadline, asked for in the transaction that claims
the reminder round, drawn afterwards, handed to the outbox once; the file id Telegram
returns is cached and reused when the same chart is posted again."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox import Delivery, Progress, State
from bot.services.ranking import posts as ranking_posts
from bot.services.ranking.posts import (
    charts_folder,
    deliver_pending,
    post_batch,
    post_delivered,
    post_of_batch,
    request_post,
    request_ranking_post,
)
from bot.services.reminders.plan import RANKING_DELAY, replan_block, wanted_rows
from bot.services.reminders.rounds import Round, fire_due
from storage import blocks as blocks_repo
from storage import outbox as outbox_repo
from storage import progress as progress_repo
from storage import ranking as ranking_repo
from storage.reports import queries
from storage.reports.tables import reports as reports_table
from storage.tables import blocks as blocks_table
from tests.reports.conftest import CHAIR_TG, UBKT_TG, World
from tests.reports.helpers import fill, submit

GROUP = -100_999


@pytest.fixture
async def charts(world: World, tmp_path: Path) -> Path:
    """The folder posted charts are written to; the block's group is bound."""
    async with world.db.transaction() as conn:
        await blocks_repo.bind_group(conn, world.block.id, GROUP)
    return charts_folder(tmp_path / "evidence")


async def deliver(world: World, charts: Path) -> int:
    return await deliver_pending(world.db, world.clock, charts=charts)


async def finished(world: World, delivery: Delivery) -> bool:
    """The outbox reports the post finished (post_delivered)."""
    return await post_delivered(world.db, world.clock, world.texts, delivery)


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Charts drawn (a tiny stand-in PNG: what is drawn is the charts' own tests' business)."""
    drawn: list[Any] = []

    async def fake_draw(chart: Any) -> bytes:
        drawn.append(chart)
        return b"\x89PNG\r\n\x1a\n stand-in"

    monkeypatch.setattr(ranking_posts, "draw", fake_draw)
    return drawn


async def publishing(world: World) -> World:
    """The block with `[block] publish_self_scores = true`, in the database and the world:
    its deadlines post the provisional ranking."""
    settings = {**world.block.settings, "publish_self_scores": True}
    async with world.db.transaction() as conn:
        await conn.execute(update(blocks_table).where(blocks_table.c.id == world.block.id)
                           .values(settings=settings))
    block = dataclasses.replace(world.block, settings=settings)
    return dataclasses.replace(world, tree=dataclasses.replace(world.tree, block=block))


async def test_a_ranking_round_follows_each_deadline(world: World) -> None:
    # By default self-scores stay out of the group until appraised: no deadline post.
    assert not [w for w in wanted_rows(world.tree) if w.kind == "ranking"]
    world = await publishing(world)
    rows = [w for w in wanted_rows(world.tree) if w.kind == "ranking"]
    assert [(w.subject, w.due_at - w.deadline) for w in rows] == [
        ("DOT1", RANKING_DELAY), ("DOT2", RANKING_DELAY)]
    assert rows[0].deadline == world.phase("DOT1").report_due
    quiet = dataclasses.replace(world.block, settings={**world.block.settings,
                                                       "post_ranking": False})
    tree = dataclasses.replace(world.tree, block=quiet)
    assert not [w for w in wanted_rows(tree) if w.kind == "ranking"]


async def group_rows(world: World) -> list[outbox_repo.OutboxRow]:
    async with world.db.read() as conn:
        posts = await ranking_repo.block_posts(conn, world.block.id)
        rows = []
        for post in posts:
            rows += await outbox_repo.batch_rows(conn, f"ranking:{post.id}")
    return rows


async def test_deadline_post_is_claimed_then_drawn_then_queued_once(
    world: World, charts: Path, draws: list[Any]
) -> None:
    world = await publishing(world)
    await fill(world, "BBT")
    await submit(world, "BBT")
    await replan_block(world.db, world.block, world.clock)
    world.clock.set(world.phase("DOT1").report_due + RANKING_DELAY + timedelta(minutes=1))

    async def render(conn: AsyncConnection, rnd: Round) -> int:
        if rnd.kind == "ranking":
            return await request_ranking_post(conn, rnd)
        return 0

    fired = await fire_due(world.db, world.clock, render)
    assert "ranking" in [r.kind for r in fired]
    async with world.db.read() as conn:
        [post] = await ranking_repo.pending_posts(conn)
    assert (post.subject, post.reason) == ("DOT1", "deadline")
    assert draws == [] and await group_rows(world) == []  # nothing drawn in the claim

    assert await deliver(world, charts) == 1
    assert await deliver(world, charts) == 0  # queued once
    assert await fire_due(world.db, world.clock, render) == []  # the round is claimed
    [chart] = draws
    assert chart.period_label == "Đợt 1" and chart.entries[0].unit_code == "BBT"
    [row] = await group_rows(world)
    assert row.chat_id == GROUP and row.dedupe_key == f"ranking:{post.id}:group"
    [part] = row.parts
    png = await asyncio.to_thread(Path(part["file"]).read_bytes)
    assert part["kind"] == "photo" and png.startswith(b"\x89PNG")
    assert "Bảng xếp hạng thi đua – Khối thi đua 6" in part["text"]


def delivered(post_id: int, state: State, file_id: str | None) -> Delivery:
    progress = Progress(f"ranking:{post_id}", 1, int(state is State.SENT),
                        int(state is State.FAILED), 0)
    return Delivery(row_id=1, batch=f"ranking:{post_id}", dedupe_key=f"ranking:{post_id}:group",
                    chat_id=GROUP, state=state, message_id=5, error=None, tg_user_id=None,
                    block_id=1, progress=progress, file_id=file_id)


async def test_the_same_chart_posted_again_goes_by_file_id(
    world: World, charts: Path, draws: list[Any]
) -> None:
    world = await publishing(world)

    async def ask(source: str) -> int:
        async with world.db.transaction() as conn:
            assert await request_post(conn, block=world.block, subject="DOT1",
                                      reason="review", source=source, now=world.clock.now())
        await deliver(world, charts)
        async with world.db.read() as conn:
            posts = await ranking_repo.block_posts(conn, world.block.id)
        return posts[-1].id

    first = await ask("review:a")
    await finished(world, delivered(first, State.SENT, "AgACAgFILE"))
    # The group saw other numbers since (else the same ranking is not posted again, see
    # test_the_same_numbers_are_posted_once): the chart comes back by file id.
    async with world.db.transaction() as conn:
        await progress_repo.remember_numbers(conn, block_id=world.block.id, subject="DOT1",
                                             numbers="0" * 64, final=False,
                                             now=world.clock.now())
    second = await ask("review:b")
    assert len(draws) == 1  # the second post was not drawn again
    rows = {r.dedupe_key: r for r in await group_rows(world)}
    assert rows[f"ranking:{second}:group"].parts[0]["file"] == "AgACAgFILE"
    async with world.db.transaction() as conn:  # the same cause asks only once
        assert not await request_post(conn, block=world.block, subject="DOT1",
                                      reason="review", source="review:a", now=world.clock.now())

    # Telegram refuses the file id: it is forgotten and the chair is told.
    async with world.db.transaction() as conn:
        await outbox_repo.finish(conn, rows[f"ranking:{second}:group"].id, State.FAILED,
                                 world.clock.now(), error="Bad Request: wrong file identifier")
    assert await finished(world, delivered(second, State.FAILED, None))
    async with world.db.read() as conn:
        fingerprint = (await ranking_repo.get_post(conn, second)).fingerprint  # type: ignore[union-attr]
        assert await ranking_repo.cached_file_id(conn, fingerprint) is None  # type: ignore[arg-type]
        told = await outbox_repo.batch_rows(conn, f"outbox:notice:{world.block.id}")
    assert [r.chat_id for r in told] == [CHAIR_TG]


async def test_posting_off_or_no_group_posts_nothing(
    world: World, charts: Path, draws: list[Any]
) -> None:
    quiet = dataclasses.replace(world.block, settings={**world.block.settings,
                                                       "post_ranking": False})
    async with world.db.transaction() as conn:
        assert not await request_post(conn, block=quiet, subject="DOT1", reason="review",
                                      source="x", now=world.clock.now())
        assert await request_post(conn, block=world.block, subject="DOT1", reason="review",
                                  source="y", now=world.clock.now())
        await blocks_repo.bind_group(conn, world.block.id, None)
    assert await deliver(world, charts) == 0
    async with world.db.read() as conn:
        [post] = await ranking_repo.block_posts(conn, world.block.id)
    assert post.state == "skipped" and draws == []


def test_a_post_batch_names_its_post_and_nothing_else_parses() -> None:
    for post_id in (1, 42, 10**18 - 1):
        assert post_of_batch(post_batch(post_id)) == post_id
    for other in ("ranking:", "ranking:x", "ranking:١٢", "ranking:+1", "ranking:1:group",
                  "outbox:notice:1", "ranking:" + "9" * 19):
        assert post_of_batch(other) is None


async def test_the_same_numbers_are_posted_once(
    world: World, charts: Path, draws: list[Any]
) -> None:
    """A ranking is posted once per change of its numbers: asked again with the same data
    (another cause, another day) it is skipped; new numbers post again."""
    world = await publishing(world)
    await fill(world, "BBT")
    await submit(world, "BBT")

    async def ask(source: str) -> str:
        async with world.db.transaction() as conn:
            await request_post(conn, block=world.block, subject="DOT1", reason="review",
                               source=source, now=world.clock.now())
        await deliver(world, charts)
        async with world.db.read() as conn:
            return (await ranking_repo.block_posts(conn, world.block.id))[-1].state

    assert await ask("a") == "queued"
    world.clock.advance(timedelta(days=1))
    assert await ask("b") == "skipped"  # the same numbers, a day later
    await fill(world, "UBKT", tg=UBKT_TG)
    await submit(world, "UBKT", tg=UBKT_TG)
    assert await ask("c") == "queued"  # UBKT's report changed the numbers


async def test_self_scores_wait_for_the_appraisal(
    world: World, charts: Path, draws: list[Any]
) -> None:
    """By default (publish_self_scores = false) a ranking that still shows self-scores is
    not posted in the group; the appraised one is."""
    await fill(world, "BBT")
    result = await submit(world, "BBT")
    async with world.db.transaction() as conn:
        await request_post(conn, block=world.block, subject="DOT1", reason="review",
                           source="early", now=world.clock.now())
    assert await deliver(world, charts) == 0 and draws == []
    async with world.db.transaction() as conn:
        await conn.execute(update(reports_table).values(state="appraised"))
        await queries.mark_review_finished(conn, block_id=world.block.id,
                                           phase_id=world.phase("DOT1").id, by=CHAIR_TG,
                                           now=world.clock.now())
    async with world.db.transaction() as conn:
        await request_post(conn, block=world.block, subject="DOT1", reason="review",
                           source="done", now=world.clock.now())
    assert await deliver(world, charts) == 1
    assert result.view is not None


async def test_nothing_after_the_years_final_ranking(
    world: World, charts: Path, draws: list[Any]
) -> None:
    world = await publishing(world)
    await fill(world, "BBT")
    await submit(world, "BBT")
    async with world.db.transaction() as conn:
        await progress_repo.remember_numbers(conn, block_id=world.block.id, subject="year",
                                             numbers="f" * 64, final=True,
                                             now=world.clock.now())
        await request_post(conn, block=world.block, subject="DOT1", reason="review",
                           source="late", now=world.clock.now())
    assert await deliver(world, charts) == 0 and draws == []
