"""Closing a vote: at its closing time, or by the chair once every unit has voted.

Two transactions with the count between them: the first stops the vote ("counting": no
cast gets in any more, drafts are deleted), the second records the result and queues the
group's posts (results, chart, every ballot by tracker) and the chair's next steps. A
crash between them leaves the round "counting"; the next start counts it (`finish_all`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, Button, Buttons, rows
from bot.charts import render_off_loop
from bot.outbox import Outgoing, enqueue
from bot.services import notify
from bot.services.awards import notices
from bot.services.awards.ballot import seal
from bot.services.awards.callbacks import chair_data, document_data, runoff_data
from bot.services.awards.chart import chart_of, render_results
from bot.services.awards.results import ballots_text, results_text
from bot.services.awards.state import VoteState, load_state
from bot.services.awards.tally import Tally, count
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import audit
from storage import awards as repo
from storage.db import Database

log = logging.getLogger(__name__)


class Closed(Enum):
    CLOSED = "closed"
    INVALID = "invalid"  # the quorum was not met
    NOT_YET = "not-yet"  # before its closing time, and not every unit has voted
    NOT_OPEN = "not-open"


@dataclass(frozen=True)
class CloseResult:
    outcome: Closed
    state: VoteState | None = None
    tally: Tally | None = None


async def close_vote(db: Database, clock: Clock, texts: Catalog, *, round_id: int,
                     by: int | None, charts: Path, block_id: int | None = None
                     ) -> CloseResult:
    """Stop the vote and count it. `by` the chair (only once every unit has voted), or
    None for the clock (only at or after the closing time). `block_id`: the chair's block,
    which must be the round's."""
    now = clock.now()
    async with db.transaction() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.state != "open" or block_id not in (None, rnd.block_id):
            return CloseResult(Closed.NOT_OPEN)
        state = await load_state(conn, rnd)
        due = rnd.closes_at is not None and now >= rnd.closes_at
        if (by is None and not due) or (by is not None and state.cast < state.electorate
                                        and not due):
            return CloseResult(Closed.NOT_YET, state)
        if not await repo.update_round(conn, rnd.id, states=("open",), state="counting",
                                       closed_at=now, closed_by=by):
            return CloseResult(Closed.NOT_OPEN, state)
        await repo.delete_drafts(conn, rnd.id)
    return await finish(db, clock, texts, round_id=round_id, charts=charts)


async def finish(db: Database, clock: Clock, texts: Catalog, *, round_id: int,
                 charts: Path) -> CloseResult:
    """Count a round in "counting" and publish (also after a crash mid-way)."""
    async with db.read() as conn:
        rnd = await repo.get_round(conn, round_id)
        if rnd is None or rnd.state != "counting":
            return CloseResult(Closed.NOT_OPEN)
        state = await load_state(conn, rnd)
        ballots = await repo.ballots(conn, rnd.id)
    tally = count(state.layout, [b.choices for b in ballots], state.electorate,
                  state.rules.quorum)
    lang = state.block.language
    picture = None
    if tally.valid and state.block.group_chat_id is not None:
        picture = await _draw(texts, state, tally, charts)
    now = clock.now()
    async with db.transaction() as conn:
        new_state = "closed" if tally.valid else "invalid"
        if not await repo.update_round(conn, rnd.id, states=("counting",), state=new_state,
                                       result=_summary(state, tally)):
            return CloseResult(Closed.NOT_OPEN, state)
        fresh = await repo.get_round(conn, rnd.id)
        assert fresh is not None
        state = await load_state(conn, fresh)
        await notices.queue_counter_edit(conn, texts, state, now, closed=True)
        group = notify.group(state.block)
        batch = f"{notices.BATCH}{rnd.id}:results:{rnd.opens}"
        items = [Outgoing(chat_id=r.chat_id, text=results_text(texts, lang, state, tally),
                          batch=batch, dedupe_key=f"{batch}:text", block_id=state.block.id)
                 for r in group]
        if tally.valid:
            if picture is not None:
                items += [Outgoing(chat_id=r.chat_id, photo=str(picture), batch=batch,
                                   dedupe_key=f"{batch}:chart", block_id=state.block.id)
                          for r in group]
            items += [Outgoing(chat_id=r.chat_id, text=ballots_text(texts, lang, state,
                                                                   ballots),
                               batch=batch, dedupe_key=f"{batch}:ballots",
                               block_id=state.block.id) for r in group]
        if items:
            await enqueue(conn, items, now)
        await _tell_chairs(conn, texts, state, tally, now)
        await audit.record(conn, at=now, block_id=state.block.id, actor_tg_id=rnd.closed_by,
                           action=f"awards.{new_state}", subject=str(rnd.id),
                           after=_summary(state, tally))
    await seal(db)
    return CloseResult(Closed.CLOSED if tally.valid else Closed.INVALID, state, tally)


async def finish_all(db: Database, clock: Clock, texts: Catalog, charts: Path) -> int:
    """Count every round a crash left "counting"."""
    async with db.read() as conn:
        left = await repo.rounds_in(conn, ("counting",))
    for rnd in left:
        await finish(db, clock, texts, round_id=rnd.id, charts=charts)
    return len(left)


async def _draw(texts: Catalog, state: VoteState, tally: Tally, charts: Path) -> Path | None:
    lang = state.block.language
    chart = chart_of(texts, lang, state, tally, notices.title(texts, lang, state))
    # The worker's signature names the ranking's charts; it draws any module-level
    # function's picture.
    render = cast("Callable[[Any], bytes]", render_results)
    try:
        png = await render_off_loop(render, cast(Any, chart))
    except Exception:  # the results go out without their picture rather than not at all
        log.exception("awards chart of round %s not drawn", state.round.id)
        return None
    path = charts / f"awards-{state.round.id}-{state.round.opens}.png"
    await asyncio.to_thread(_save, path, png)
    return path


def _save(path: Path, png: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)


def _summary(state: VoteState, tally: Tally) -> dict[str, object]:
    return {"cast": tally.cast, "electorate": tally.electorate, "valid": tally.valid,
            "awards": {r.award.code: {"proposed": [state.code(u) for u in r.proposed],
                                      "tied": [state.code(u) for u in r.tied]}
                       for r in tally.awards}}


def _chair_buttons(texts: Catalog, lang: str, state: VoteState, tally: Tally) -> Buttons:
    rid = state.round.id
    if not tally.valid:
        return ((Button(texts.plain(lang, "awards-button-reopen"), chair_data("v", rid)),),)
    runoffs = [Button(texts.plain(lang, "awards-button-runoff", award=r.award.name),
                      runoff_data(rid, i)) for i, r in enumerate(tally.awards) if r.tied]
    documents = [Button(texts.plain(lang, "awards-button-minutes"), document_data(rid, "m")),
                 Button(texts.plain(lang, "awards-button-proposal"), document_data(rid, "p"))]
    return rows(*([b] for b in runoffs), documents) or NO_BUTTONS


async def _tell_chairs(conn: AsyncConnection, texts: Catalog, state: VoteState, tally: Tally,
                       now: datetime) -> None:
    key = "awards-closed-chair" if tally.valid else "awards-invalid-chair"
    await notify.queue(
        conn, texts, await notify.chairs(conn, state.block), key, block=state.block,
        batch=f"{notices.BATCH}{state.round.id}:chair",
        dedupe=f"{notices.BATCH}{state.round.id}:chair:{state.round.opens}",
        now=now,
        params=lambda lang: {"title": notices.title(texts, lang, state), "cast": tally.cast,
                             "total": tally.electorate,
                             "ties": sum(bool(r.tied) for r in tally.awards)},
        buttons=lambda lang: _chair_buttons(texts, lang, state, tally))
