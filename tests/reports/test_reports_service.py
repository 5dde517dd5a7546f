"""Filling a report: single values, `CODE: value` lines, targets, concurrency, atomicity."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from bot.services.reports.entry import Save, open_report, save_value
from bot.services.reports.lines import LineProblem, save_lines
from bot.services.values import Problem
from storage import audit
from tests.reports.conftest import BBT2_TG, BBT_TG, World, local
from tests.reports.helpers import fill


async def test_open_report_picks_the_current_phase(world: World) -> None:
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None and view.phase.code == "DOT1"
    assert view.report is None and view.editable
    assert [c.code for c in view.missing] == [
        "NV_CHINH_TRI", "TIEN_VAN_DONG", "CHUYEN_DOI_SO", "HOAT_DONG_CHUNG", "KHEN_THUONG",
        "XAY_DUNG_DANG", "KET_QUA_NOI_BAT",
    ]  # bonus and penalty lines are optional
    later = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"),
                              phase_code="dot2")
    assert later is not None and later.phase.code == "DOT2" and not later.started
    assert await open_report(world.db, world.clock, block=world.block,
                             unit=world.unit("BBT"), phase_code="DOT9") is None


async def test_a_value_is_validated_scored_and_audited(world: World) -> None:
    phase, crit = world.phase("DOT1"), world.criterion("TIEN_VAN_DONG")
    kwargs = dict(block=world.block, unit=world.unit("BBT"), actor_tg_id=BBT_TG,
                  phase_id=phase.id, criterion_id=crit.id, lang="vi")
    bad = await save_value(world.db, world.clock, text="một trăm", **kwargs)  # type: ignore[arg-type]
    assert bad.outcome is Save.BAD and bad.bad and bad.bad.problem is Problem.NOT_A_NUMBER
    huge = await save_value(world.db, world.clock, text="9" * 16, **kwargs)  # type: ignore[arg-type]
    assert huge.outcome is Save.BAD and huge.bad and huge.bad.problem is Problem.TOO_LARGE
    ok = await save_value(world.db, world.clock, text="100.000.000", **kwargs)  # type: ignore[arg-type]
    assert ok.outcome is Save.SAVED and ok.view is not None
    # BBT registered its own target of 200.000.000 in the block file: half of it is 5 points
    assert ok.view.values[crit.id].self_points == Decimal(5)
    assert ok.view.score.self_total == Decimal("5.00")
    async with world.db.read() as conn:
        entries = await audit.entries(conn, action="report.value")
    assert len(entries) == 1  # nothing was stored for the bad values
    assert entries[0].after["value"] == "100000000"
    assert Decimal(entries[0].after["points"]) == 5


async def test_code_lines_keep_good_lines_and_explain_bad_ones(world: World) -> None:
    text = """NV_CHINH_TRI: 35
TIEN_VAN_DONG: abc
KHONG_CO: 5
một dòng lạ
CHUYEN_DOI_SO: 120
nv_chinh_tri: 30
HOAT_DONG_CHUNG: không"""
    result = await save_lines(world.db, world.clock, block=world.block, unit=world.unit("UBKT"),
                              actor_tg_id=3001, text=text, lang="vi")
    assert result.outcome is Save.SAVED
    assert [(c.code, v) for c, v in result.saved] == [("NV_CHINH_TRI", "35"),
                                                      ("HOAT_DONG_CHUNG", "no")]
    problems = {b.number: (b.problem, b.bad.problem if b.bad else None) for b in result.bad}
    assert problems == {
        2: (None, Problem.NOT_A_NUMBER),
        3: (LineProblem.UNKNOWN_CODE, None),
        4: (LineProblem.NOT_A_LINE, None),
        5: (None, Problem.OVER_100),
        6: (LineProblem.REPEATED, None),
    }
    assert result.view is not None and result.view.score.self_total == Decimal("35.00")


async def test_only_bad_lines_store_nothing(world: World) -> None:
    result = await save_lines(world.db, world.clock, block=world.block, unit=world.unit("UBKT"),
                              actor_tg_id=3001, text="NV_CHINH_TRI: 99", lang="vi")
    assert result.outcome is Save.BAD and not result.saved
    assert result.view is not None and result.view.report is None


async def test_a_failure_midway_leaves_the_previous_state(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fill(world, "BBT", "NV_CHINH_TRI: 20")
    real = audit.record_all

    async def failing(*args: object, **kwargs: object) -> None:
        # After both values were written in this transaction, before it commits.
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record_all", failing)
    with pytest.raises(RuntimeError):
        await fill(world, "BBT", "NV_CHINH_TRI: 35\nKHEN_THUONG: 12")
    monkeypatch.setattr(audit, "record_all", real)
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    assert {world.tree.criteria[i].code: v.self_value for i, c in enumerate(world.tree.criteria)
            for cid, v in view.values.items() if cid == c.id} == {"NV_CHINH_TRI": "20"}


async def test_two_representatives_saving_at_once_lose_nothing(world: World) -> None:
    phase = world.phase("DOT1")
    unit = world.unit("BBT")

    async def save(tg: int, code: str, text: str) -> Save:
        result = await save_value(world.db, world.clock, block=world.block, unit=unit,
                                  actor_tg_id=tg, phase_id=phase.id,
                                  criterion_id=world.criterion(code).id, text=text, lang="vi")
        return result.outcome

    outcomes = await asyncio.gather(
        save(BBT_TG, "NV_CHINH_TRI", "30"), save(BBT2_TG, "NV_CHINH_TRI", "31"),
        save(BBT_TG, "KHEN_THUONG", "10"), save(BBT2_TG, "XAY_DUNG_DANG", "8"),
    )
    assert set(outcomes) == {Save.SAVED}
    view = await open_report(world.db, world.clock, block=world.block, unit=unit)
    assert view is not None
    values = {c.code: view.values[c.id].self_value for c in view.criteria if c.id in view.values}
    assert values["KHEN_THUONG"] == "10" and values["XAY_DUNG_DANG"] == "8"
    assert values["NV_CHINH_TRI"] in ("30", "31")  # last write wins...
    async with world.db.read() as conn:
        entries = await audit.entries(conn, action="report.value")
    # ...and the audit shows both writers of the contested criterion
    contested = [e for e in entries if e.subject and e.subject.endswith("/NV_CHINH_TRI")]
    assert {e.actor_tg_id for e in contested} == {BBT_TG, BBT2_TG}


async def test_a_phase_not_started_cannot_be_filled(world: World) -> None:
    result = await save_value(world.db, world.clock, block=world.block, unit=world.unit("BBT"),
                              actor_tg_id=BBT_TG, phase_id=world.phase("DOT2").id,
                              criterion_id=world.criterion("NV_CHINH_TRI").id, text="30",
                              lang="vi")
    assert result.outcome is Save.CLOSED


async def test_a_phase_or_criterion_of_another_block_is_unknown(world: World) -> None:
    result = await save_value(world.db, world.clock, block=world.block, unit=world.unit("BBT"),
                              actor_tg_id=BBT_TG, phase_id=999, criterion_id=1, text="30",
                              lang="vi")
    assert result.outcome is Save.UNKNOWN
    result = await save_value(world.db, world.clock, block=world.block, unit=world.unit("BBT"),
                              actor_tg_id=BBT_TG, phase_id=world.phase("DOT1").id,
                              criterion_id=999, text="30", lang="vi")
    assert result.outcome is Save.UNKNOWN


async def test_after_the_phase_ends_the_latest_phase_is_opened(world: World) -> None:
    world.clock.set(local(2023, 12, 31, 23, 0))
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None and view.phase.code == "DOT2"
    world.clock.set(local(2024, 2, 1, 9, 0))
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None and view.phase.code == "DOT2" and view.past_due
