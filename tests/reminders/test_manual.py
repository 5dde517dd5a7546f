"""The chair's /remind, as a service: one round per cooldown and kind, even when two chairs
press at the same instant (the cooldown is read inside the transaction that writes)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.reminders.manual import MANUAL_COOLDOWN, Outcome, remind_now
from storage import outbox as outbox_repo
from storage import reminders as reminders_repo
from tests.reports.conftest import BBT_TG, UBKT_TG, World


async def manual_rows(world: World, kind: str) -> list[reminders_repo.ReminderRow]:
    async with world.db.read() as conn:
        rows = await reminders_repo.all_rows(conn, world.block.id)
    return [r for r in rows if r.kind == kind and r.offset.startswith("manual")]


async def remind(world: World, tmp_path: Path, kind: str = "report") -> Outcome:
    done = await remind_now(world.db, world.clock, world.texts, world.block, kind,
                            charts=tmp_path / "charts")
    return done.outcome


@pytest.fixture
def reads_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each /remind right after it read the cooldown until the other one has read it
    too (or half a second passed): were the read not serialised with the write, both would
    read "no round yet" and both would send one."""
    read = 0
    both = asyncio.Event()
    last_manual_at = reminders_repo.last_manual_at

    async def meeting(conn: AsyncConnection, block_id: int, kind: str) -> datetime | None:
        nonlocal read
        found = await last_manual_at(conn, block_id, kind)
        read += 1
        if read >= 2:
            both.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.5):
                await both.wait()
        return found

    monkeypatch.setattr(reminders_repo, "last_manual_at", meeting)


@pytest.mark.usefixtures("reads_meet")
async def test_two_chairs_at_the_same_instant_send_one_round(
    world: World, tmp_path: Path
) -> None:
    outcomes = await asyncio.gather(*(remind(world, tmp_path) for _ in range(2)))
    assert sorted(o.value for o in outcomes) == ["sent", "too-soon"]
    [row] = await manual_rows(world, "report")
    assert row.state == "sent"
    async with world.db.read() as conn:
        queued = await outbox_repo.batch_rows(conn, f"remind:{row.id}")
    # Every representative of a unit that owes its report got it once (BBT has two).
    private = sorted(r.chat_id for r in queued if r.chat_id > 0)
    assert BBT_TG in private and UBKT_TG in private
    assert len(private) == len(set(private))


async def test_the_cooldown_holds_per_kind_and_then_lifts(world: World, tmp_path: Path
                                                          ) -> None:
    assert await remind(world, tmp_path) is Outcome.SENT
    world.clock.advance(MANUAL_COOLDOWN - timedelta(seconds=1))
    assert await remind(world, tmp_path) is Outcome.TOO_SOON
    assert await remind(world, tmp_path, "sign") is not Outcome.TOO_SOON  # another kind
    world.clock.advance(timedelta(seconds=1))
    assert await remind(world, tmp_path) is Outcome.SENT
    assert len(await manual_rows(world, "report")) == 2


async def test_only_report_and_sign_can_be_asked_for(world: World, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected one of"):
        await remind(world, tmp_path, "phase-end")
