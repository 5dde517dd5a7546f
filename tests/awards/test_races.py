"""The services under bad input and races: two representatives of one unit confirming at
the same instant, a vote for a non-candidate, a press on a ballot of an earlier round, a
stranger's press, a unit voting for itself where the rules forbid it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.blockfile import load_block_file
from bot.services.awards.ballot import Ballot, BallotResult, press, start
from bot.services.awards.callbacks import BallotPress
from bot.services.awards.closing import close_vote
from bot.services.awards.opening import open_vote
from bot.services.awards.prepare import prepare
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from bot.texts import catalog
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.awards.tables import awards_ballots, awards_voted
from storage.db import Database
from storage.records import Block
from storage.tables import audit_log
from tests.awards.conftest import AWARDS, awards_block

NOW = datetime(2023, 12, 15, 2, 0, tzinfo=UTC)  # 09:00 in Bình Thuận


def rep(n: int, second: bool = False) -> int:
    return 7000 + n * 10 + (1 if second else 0)


async def setting_up(db: Database, tmp_path: Path, extra: str = AWARDS
                     ) -> tuple[Block, ManualClock, int]:
    """The block, one representative per unit (two for the first), a vote opened."""
    clock = ManualClock(NOW)
    spec = load_block_file(awards_block(tmp_path, extra))
    report = await apply_block_spec(db, spec, clock)
    async with db.transaction() as conn:
        block = await blocks_repo.get_block(conn, report.block_id)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
        for n, unit in enumerate(tree.units):
            for second in (False, True) if n == 0 else (False,):
                await members_repo.add_member(
                    conn, block_id=block.id, unit_id=unit.id, tg_user_id=rep(n, second),
                    full_name=f"Người {n}{'b' if second else ''}", username=None,
                    language_code="vi", now=clock.now())
    prepared = await prepare(db, clock, block, rep(0))
    assert prepared.state is not None
    rid = prepared.state.round.id
    opened = await open_vote(db, clock, catalog(), block_id=block.id, round_id=rid,
                             actor_tg_id=rep(0))
    assert opened.state is not None and opened.state.round.state == "open"
    return block, clock, rid


async def draft(db: Database, clock: ManualClock, rid: int, tg: int) -> BallotResult:
    found = await start(db, clock, round_id=rid, tg_user_id=tg)
    assert found.outcome is Ballot.READY, found.outcome
    return found


async def do(db: Database, clock: ManualClock, tg: int, kind: str, rid: int, token: str,
             award: int = 0, candidate: int = 0) -> BallotResult:
    return await press(db, clock, catalog(), press=BallotPress(kind, rid, token, award,
                                                                candidate),
                       tg_user_id=tg, name=f"Người {tg}")


async def counts(db: Database, rid: int) -> tuple[int, int]:
    async with db.read() as conn:
        cast = (await conn.execute(select(func.count()).select_from(awards_ballots).where(
            awards_ballots.c.round_id == rid, awards_ballots.c.cast.is_(True)))).scalar_one()
        voted = (await conn.execute(select(func.count()).select_from(awards_voted).where(
            awards_voted.c.round_id == rid, awards_voted.c.voted.is_(True)))).scalar_one()
    return int(cast), int(voted)


async def test_two_representatives_confirm_at_the_same_instant(db: Database,
                                                               tmp_path: Path) -> None:
    _, clock, rid = await setting_up(db, tmp_path)
    first, second = await draft(db, clock, rid, rep(0)), await draft(db, clock, rid,
                                                                      rep(0, True))
    await do(db, clock, rep(0), "t", rid, first.token, 0, 0)
    results = await asyncio.gather(do(db, clock, rep(0), "c", rid, first.token),
                                   do(db, clock, rep(0, True), "c", rid, second.token))
    assert sorted(r.outcome.value for r in results) == ["already", "cast"]
    told = next(r for r in results if r.outcome is Ballot.ALREADY)
    assert told.voted is not None and told.voted.cast_by_name is not None
    assert await counts(db, rid) == (1, 1)


async def test_bad_presses_change_nothing_and_are_audited(db: Database, tmp_path: Path
                                                          ) -> None:
    _, clock, rid = await setting_up(db, tmp_path)
    mine = await draft(db, clock, rid, rep(1))
    assert (await do(db, clock, rep(1), "t", rid, mine.token, 0, 42)).outcome is Ballot.UNKNOWN
    assert (await do(db, clock, rep(1), "t", rid, mine.token, 7, 0)).outcome is Ballot.UNKNOWN
    assert (await do(db, clock, rep(2), "c", rid, mine.token)).outcome is Ballot.NOT_YOURS
    assert (await do(db, clock, 999, "c", rid, mine.token)).outcome is Ballot.NOT_VOTER
    await do(db, clock, rep(1), "t", rid, mine.token, 0, 0)
    over = await do(db, clock, rep(1), "t", rid, mine.token, 0, 1)
    assert over.outcome is Ballot.OVER_SEATS and over.choices.count("1") == 1
    assert await counts(db, rid) == (0, 0)
    # After the close, the same draft is of an earlier round: refused, nothing counted.
    clock.advance(timedelta(hours=9))
    await close_vote(db, clock, catalog(), round_id=rid, by=None, charts=tmp_path / "charts")
    assert (await do(db, clock, rep(1), "c", rid, mine.token)).outcome is Ballot.CLOSED
    assert await counts(db, rid) == (0, 0)
    async with db.read() as conn:
        rows = (await conn.execute(select(audit_log.c.action, audit_log.c.subject).where(
            audit_log.c.action.like("awards.ballot-%")))).all()
    assert {a for a, _ in rows} == {"awards.ballot-unknown", "awards.ballot-not-yours",
                                    "awards.ballot-not-voter", "awards.ballot-over-seats",
                                    "awards.ballot-closed"}
    assert all(subject in ("aw:t", "aw:c") for _, subject in rows)  # never the positions


async def test_no_self_vote_where_the_rules_say_so(db: Database, tmp_path: Path) -> None:
    _, clock, rid = await setting_up(db, tmp_path, AWARDS.replace("self_vote = true",
                                                                  "self_vote = false"))
    mine = await draft(db, clock, rid, rep(0))
    state = mine.state
    assert state is not None and mine.unit is not None
    own = state.layout.awards[1].units.index(mine.unit.id)
    refused = await do(db, clock, rep(0), "t", rid, mine.token, 1, own)
    assert refused.outcome is Ballot.SELF_VOTE and "1" not in refused.choices
    other = next(p for p, u in enumerate(state.layout.awards[1].units) if u != mine.unit.id)
    assert (await do(db, clock, rep(0), "t", rid, mine.token, 1, other)).outcome is (
        Ballot.READY)
