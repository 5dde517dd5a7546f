"""Charts on Telegram: the file-id cache, and the automatic posts of the ranking to the group.

Cache: a chart's fingerprint (sha256 of its data and drawing version) -> the file id
Telegram returned when it was first sent, so the same picture is never drawn or uploaded
twice. Every chart the bot sends, interactive or posted, goes through it.

Posts (after a phase's report_due, after the chair's /review done) are crash-safe in two
steps. `request_post` writes a "pending" row in the same transaction that claims its cause
(the deadline's reminder row, the review mark). `deliver_pending` then draws the chart with
no transaction open (off the event loop), writes the PNG under the data folder, and in one
short transaction marks the row "queued" and hands the photo to the outbox by file path
(or cached file id). A crash before that leaves the row pending: the next start posts it;
after it, the outbox resumes. When the outbox reports the photo sent, its file id goes into
the cache (`post_delivered`), so posting the same data again sends the file id.

The group gets a ranking once per change of its numbers (`numbers_of`, remembered in
storage.progress), none after the year's final one, and none that shows self-scores not
yet appraised unless `[block] publish_self_scores = true`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.charts import (
    ProgressChart,
    RankingChart,
    caption_for,
    chart_fingerprint,
    render_off_loop,
    render_progress,
    render_ranking,
)
from bot.outbox import Delivery, Outgoing, State, enqueue
from bot.outbox.notices import tell_failures
from bot.services.clock import Clock
from bot.services.ranking.charts import ranking_chart
from bot.services.ranking.rank import load_ranking, pick_period
from bot.services.ranking.shown import already_shown, final, numbers_of
from bot.services.reminders.rounds import Round
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage import outbox as outbox_repo
from storage import progress as progress_repo
from storage import ranking as ranking_repo
from storage.db import Database
from storage.ranking.records import RankingPost
from storage.records import Block, Phase

log = logging.getLogger(__name__)

BATCH_PREFIX = "ranking:"
DEADLINE = "deadline"  # reasons of a post
REVIEW = "review"
CHARTS_FOLDER = "charts"  # beside the evidence folder, in the bot's data folder
# PNGs are only needed until Telegram has them (then the file id is reused); a week covers
# an outbox that waits out a long outage.
CHART_FILE_DAYS = 7


def post_batch(post_id: int) -> str:
    """The outbox batch of a post: the outbox tells BATCH_PREFIX's subscriber about it."""
    return f"{BATCH_PREFIX}{post_id}"


_POST_BATCH = re.compile(rf"{re.escape(BATCH_PREFIX)}([0-9]{{1,18}})")


def post_of_batch(batch: str) -> int | None:
    """The post id of an outbox batch made by post_batch, None for any other."""
    found = _POST_BATCH.fullmatch(batch)
    return int(found.group(1)) if found else None


def posting_enabled(block: Block) -> bool:
    """`[block] post_ranking = false` turns automatic posting off."""
    return block.settings.get("post_ranking", True) is not False


def kind_of(chart: RankingChart | ProgressChart) -> str:
    return "ranking" if isinstance(chart, RankingChart) else "progress"


async def cached_file_id(db: Database, fingerprint: str) -> str | None:
    async with db.read() as conn:
        return await ranking_repo.cached_file_id(conn, fingerprint)


async def remember_file_id(
    db: Database, clock: Clock, fingerprint: str, kind: str, file_id: str
) -> None:
    async with db.transaction() as conn:
        await ranking_repo.remember_file_id(conn, fingerprint, kind, file_id, clock.now())


async def forget_file_id(db: Database, fingerprint: str) -> None:
    """Telegram refused the cached id (another bot token, a deleted file): draw again."""
    async with db.transaction() as conn:
        await ranking_repo.forget_file_id(conn, fingerprint)


# Renders in flight by chart fingerprint: twenty people (or one impatient one) asking for
# the same chart at once share one render instead of queueing twenty on the render thread.
_IN_FLIGHT: dict[str, asyncio.Future[bytes]] = {}


async def draw(chart: RankingChart | ProgressChart, fingerprint: str | None = None) -> bytes:
    """The chart's PNG, drawn off the event loop; identical requests share one render.

    fingerprint: the chart's, when the caller computed it already for the file-id cache
    (hashing the chart's data again would only repeat that work).
    """
    key = fingerprint if fingerprint is not None else chart_fingerprint(chart)
    pending = _IN_FLIGHT.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    _IN_FLIGHT[key] = future
    try:
        if isinstance(chart, RankingChart):
            png = await render_off_loop(render_ranking, chart)
        else:
            png = await render_off_loop(render_progress, chart)
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved here, so a render nobody else awaited is not "lost"
        raise
    else:
        future.set_result(png)
        return png
    finally:
        del _IN_FLIGHT[key]


def charts_folder(evidence_dir: Path) -> Path:
    """Where posted charts are written: beside the evidence folder, in the data folder."""
    return evidence_dir.parent / CHARTS_FOLDER


def write_png(folder: Path, fingerprint: str, png: bytes, now: float | None = None) -> Path:
    """Write atomically as <fingerprint>.png (same data, same file); prune old charts."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fingerprint}.png"
    partial = path.with_suffix(".part")
    partial.write_bytes(png)
    os.replace(partial, path)
    limit = (now or time.time()) - CHART_FILE_DAYS * 86400
    for old in folder.glob("*.png"):
        if old != path and old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    return path.resolve()


async def request_post(
    conn: AsyncConnection, *, block: Block, subject: str, reason: str, source: str,
    now: datetime,
) -> bool:
    """Ask for a post of the ranking of `subject` (a phase code or "year") to the group,
    inside the caller's transaction; False if this cause already asked (or posting is off)."""
    if not posting_enabled(block):
        return False
    return await ranking_repo.add_post(conn, block_id=block.id, subject=subject,
                                       reason=reason, source=source, now=now)


async def request_ranking_post(conn: AsyncConnection, rnd: Round) -> int:
    """The reminders' "ranking" round (just after a phase's report_due): ask for the post
    in the transaction that claims the round. Returns 1 when a post was asked for."""
    if rnd.phase is None:
        return 0
    asked = await request_post(conn, block=rnd.block, subject=rnd.phase.code,
                               reason=DEADLINE, source=f"deadline:{rnd.row.id}", now=rnd.now)
    return int(asked)


async def request_review_posts(db: Database, clock: Clock, block: Block, phase: Phase
                               ) -> bool:
    """The chair finished a phase's appraisal: ask for its final ranking in the group (and,
    after the last phase, the year's). True when a post was asked for: deliver_pending."""
    now = clock.now()
    async with db.transaction() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        asked = await request_post(conn, block=block, subject=phase.code, reason=REVIEW,
                                   source=f"review:{phase.id}", now=now)
        if tree.phases and tree.phases[-1].id == phase.id:
            asked |= await request_post(conn, block=block, subject="year", reason=REVIEW,
                                        source=f"review:{phase.id}:year", now=now)
    return asked


async def deliver_pending(db: Database, clock: Clock, *, charts: Path) -> int:
    """Draw and hand to the outbox every pending post; returns how many were queued.

    charts: the folder the pictures are written to (charts_folder), for the outbox.
    """
    async with db.read() as conn:
        posts = await ranking_repo.pending_posts(conn)
    queued = 0
    for post in posts:
        try:
            queued += await _deliver(db, clock, charts, post)
        except Exception:
            # Left pending: the next start or deadline tries again; other posts go on.
            log.exception("ranking post %s could not be prepared", post.id)
    return queued


async def _close(db: Database, clock: Clock, post: RankingPost, state: str) -> int:
    async with db.transaction() as conn:
        await ranking_repo.close_post(conn, post.id, state, clock.now())
    return 0


async def _deliver(db: Database, clock: Clock, charts: Path, post: RankingPost) -> int:
    now = clock.now()
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, post.block_id)
        tree = await blocks_repo.load_tree(conn, block) if block is not None else None
    if block is None or tree is None or block.group_chat_id is None \
            or not posting_enabled(block):
        return await _close(db, clock, post, ranking_repo.SKIPPED)
    period = pick_period(tree, now, post.subject)
    if period is None:  # the phase was removed from the block file
        return await _close(db, clock, post, ranking_repo.SKIPPED)
    ranking = await load_ranking(db, block, period, now=now)
    numbers = numbers_of(ranking)
    if await already_shown(db, block, post.subject, numbers, ranking):
        return await _close(db, clock, post, ranking_repo.SKIPPED)
    chart = ranking_chart(ranking, as_of=now, lang=block.language)
    fingerprint = chart_fingerprint(chart)
    file = await cached_file_id(db, fingerprint)
    if file is None:
        png = await draw(chart)
        file = str(await asyncio.to_thread(write_png, charts, fingerprint, png))
    async with db.transaction() as conn:
        if not await ranking_repo.close_post(conn, post.id, ranking_repo.QUEUED, now,
                                             fingerprint):
            return 0  # another wake-up queued it meanwhile
        await progress_repo.remember_numbers(conn, block_id=block.id, subject=post.subject,
                                             numbers=numbers, final=final(ranking), now=now)
        await enqueue(conn, [Outgoing(
            chat_id=block.group_chat_id, photo=file, caption=caption_for(chart),
            batch=post_batch(post.id), dedupe_key=f"{post_batch(post.id)}:group",
            block_id=block.id,
        )], now)
    return 1


async def post_delivered(db: Database, clock: Clock, texts: Catalog, delivery: Delivery
                         ) -> bool:
    """The outbox finished a post: cache the photo's file id, or tell the chair it failed
    (True when a notice to the chair was enqueued: wake the outbox)."""
    post_id = post_of_batch(delivery.batch)
    if post_id is None:
        return False
    async with db.read() as conn:
        post = await ranking_repo.get_post(conn, post_id)
    if post is None or post.fingerprint is None:
        return False
    if delivery.state is State.SENT:
        if delivery.file_id:
            await remember_file_id(db, clock, post.fingerprint, "ranking", delivery.file_id)
        return False
    log.warning("ranking post %s to chat %s: %s (%s)", post.id, delivery.chat_id,
                delivery.state, delivery.error)
    now = clock.now()
    async with db.transaction() as conn:
        # If the cached file id was what Telegram refused, the next post uploads afresh.
        await ranking_repo.forget_file_id(conn, post.fingerprint)
        rows = await outbox_repo.rows_by_keys(conn, [delivery.dedupe_key])
        row = rows.get(delivery.dedupe_key)
        if row is None or delivery.state is not State.FAILED:
            return False  # a group the bot left is the group feature's business
        return await tell_failures(conn, texts, row, now) > 0
