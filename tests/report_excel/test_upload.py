"""A filled template sent back, through the use case: every good cell saved in one
transaction with its audit entry (as `CODE: value` lines save them), bad cells named by
address and reason, formulas through their cached value, untouched cells left to a
colleague's later change, a changed table answered with a fresh template."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import event, select, update

from bot.services.report_excel import layout
from bot.services.report_excel.checks import CellProblem
from bot.services.report_excel.reading import read_template
from bot.services.report_excel.template import template_bytes
from bot.services.report_excel.upload import Upload
from bot.services.reports.entry import open_report
from bot.services.reports.lines import save_lines
from bot.services.values import Problem
from storage import audit as audit_repo
from storage import blocks as blocks_repo
from storage import reports as reports_repo
from storage.tables import criteria
from tests.report_excel.helpers import fill, report_sheet, row_of
from tests.report_excel.service import send, template
from tests.reports.conftest import BBT2_TG, BBT_TG, UBKT_TG, World
from tests.reports.helpers import fill as type_lines
from tests.reports.helpers import submit

TYPED = {
    "NV_CHINH_TRI": 35.5,  # a number cell, as Excel keeps 35,5
    "TIEN_VAN_DONG": "1.833.468.000",  # typed the Vietnamese way into a text cell
    "CHUYEN_DOI_SO": "87,5",
    "HOAT_DONG_CHUNG": "Có",
    "KET_QUA_NOI_BAT": "Mô hình «Dân vận khéo» được nhân rộng",
}


async def values_of(world: World, unit: str = "BBT") -> dict[str, tuple[str | None, Any]]:
    async with world.db.read() as conn:
        report = await reports_repo.find_report(conn, world.unit(unit).id,
                                                world.phase("DOT1").id)
        if report is None:
            return {}
        found = await reports_repo.values_of(conn, report.id)
    codes = {c.id: c.code for c in world.tree.criteria}
    return {codes[cid]: (v.self_value, v.self_points) for cid, v in found.items()}


async def audit_actions(world: World, prefix: str = "report.") -> list[tuple[str, str | None]]:
    async with world.db.read() as conn:
        rows = await audit_repo.entries(conn, block_id=world.block.id)
    return [(e.action, e.subject) for e in rows if e.action.startswith(prefix)]


async def test_good_cells_saved_like_typed_lines_bad_ones_named(world: World) -> None:
    data = fill(await template(world), {**TYPED, "KHEN_THUONG": 30, "XAY_DUNG_DANG": "abc"})
    commits: list[int] = []

    def committed(conn: Any) -> None:
        commits.append(1)

    event.listen(world.db.engine.sync_engine, "commit", committed)
    result = await send(world, data)
    event.remove(world.db.engine.sync_engine, "commit", committed)
    assert result.outcome is Upload.SAVED
    assert sorted(c.criterion.code for c in result.saved) == sorted(TYPED)
    bad = {b.address: b for b in result.bad}
    assert set(bad) == {"H9", "H10"}
    assert bad["H9"].bad is not None and bad["H9"].bad.problem is Problem.OVER_MAX
    assert bad["H9"].bad.limit == 15
    assert bad["H10"].bad is not None and bad["H10"].bad.problem is Problem.NOT_A_NUMBER
    assert len(commits) == 1  # every value, its audit and the upload's entry together

    # The same figures typed as `CODE: value` lines by another unit are stored alike.
    lines = "\n".join(f"{k}: {v if not isinstance(v, float) else '35,5'}"
                      for k, v in TYPED.items())
    await save_lines(world.db, world.clock, block=world.block, unit=world.unit("UBKT"),
                     actor_tg_id=UBKT_TG, text=lines, lang="vi")
    assert await values_of(world, "BBT") == await values_of(world, "UBKT")
    assert (await values_of(world))["TIEN_VAN_DONG"] == ("1833468000", Decimal(10))

    actions = await audit_actions(world)
    assert ("report.value", "BBT/DOT1/NV_CHINH_TRI") in actions
    assert [a for a in actions if a[0] == "report.excel"] == [("report.excel", "BBT/DOT1")]
    async with world.db.read() as conn:
        entry = next(e for e in await audit_repo.entries(conn, block_id=world.block.id)
                     if e.action == "report.excel")
    assert entry.after["saved"] == 5 and entry.after["bad"] == 2
    assert len(entry.after["sha256"]) == 64


async def test_formulas_use_the_cached_value_and_refuse_none(world: World) -> None:
    base = await template(world)
    ws_title = "Báo cáo"
    data = fill(base, {"NV_CHINH_TRI": "=20+15", "KHEN_THUONG": "=1+1"},
                cached={"H5": 35})
    filled = read_template(data)
    assert not isinstance(filled, str)
    assert filled.sheet == ws_title
    result = await send(world, data)
    assert [c.criterion.code for c in result.saved] == ["NV_CHINH_TRI"]
    assert (await values_of(world))["NV_CHINH_TRI"][0] == "35"
    assert [(b.address, b.problem) for b in result.bad] == [("H9", CellProblem.FORMULA_NO_VALUE)]


async def test_excel_types_percent_sign_booleans_dates_errors(world: World) -> None:
    from datetime import date

    def percent_format(wb: Any) -> None:
        ws = report_sheet(wb)
        ws.cell(row=row_of(ws, "CHUYEN_DOI_SO"), column=layout.VALUE_COL).number_format = "0.0%"

    data = fill(await template(world), {"CHUYEN_DOI_SO": 0.875, "HOAT_DONG_CHUNG": True,
                                        "TIEN_VAN_DONG": date(2023, 3, 1),
                                        "NV_CHINH_TRI": 0.1 + 0.2},
                edit=percent_format)
    result = await send(world, data)
    saved = {c.criterion.code: c.stored for c in result.saved}
    assert saved == {"CHUYEN_DOI_SO": "87.5", "HOAT_DONG_CHUNG": "yes", "NV_CHINH_TRI": "0.3"}
    assert [(b.address, b.bad.problem if b.bad else None) for b in result.bad] == [
        ("H6", Problem.NOT_A_NUMBER)]


async def test_english_reader_still_reads_vietnamese_figures(world: World) -> None:
    data = fill(await template(world, lang="en"), {"TIEN_VAN_DONG": "1.833.468.000",
                                                   "CHUYEN_DOI_SO": "87,5",
                                                   "HOAT_DONG_CHUNG": "Yes"})
    result = await send(world, data, language="en")
    assert {c.criterion.code: c.stored for c in result.saved} == {
        "TIEN_VAN_DONG": "1833468000", "CHUYEN_DOI_SO": "87.5", "HOAT_DONG_CHUNG": "yes"}


async def test_codes_unknown_repeated_or_missing(world: World) -> None:
    def rows(wb: Any) -> None:
        ws = report_sheet(wb)
        ws.cell(row=20, column=layout.CODE_COL, value="XYZ")
        ws.cell(row=20, column=layout.VALUE_COL, value=1)
        ws.cell(row=21, column=layout.CODE_COL, value="NV_CHINH_TRI")
        ws.cell(row=21, column=layout.VALUE_COL, value=2)
        ws.cell(row=22, column=layout.VALUE_COL, value=3)

    result = await send(world, fill(await template(world), {"NV_CHINH_TRI": 30}, edit=rows))
    assert [c.criterion.code for c in result.saved] == ["NV_CHINH_TRI"]
    assert [(b.address, b.problem) for b in result.bad] == [
        ("B20", CellProblem.UNKNOWN_CODE), ("B21", CellProblem.REPEATED),
        ("H22", CellProblem.NO_CODE)]


async def test_two_representatives_lose_nothing_later_wins_per_cell(world: World) -> None:
    first, second = await template(world), await template(world)  # both before either sends
    one = await send(world, fill(first, {"NV_CHINH_TRI": 30, "KHEN_THUONG": 10}), tg=BBT_TG)
    two = await send(world, fill(second, {"XAY_DUNG_DANG": 9, "KHEN_THUONG": 12}), tg=BBT2_TG)
    assert one.outcome is two.outcome is Upload.SAVED
    values = await values_of(world)
    assert values["NV_CHINH_TRI"][0] == "30" and values["XAY_DUNG_DANG"][0] == "9"
    assert values["KHEN_THUONG"][0] == "12"  # both changed it: the later one wins

    # A cell left as it was downloaded does not undo a colleague's later change.
    third = await template(world)  # NV_CHINH_TRI 30 in it
    await type_lines(world, "BBT", "NV_CHINH_TRI: 33", tg=BBT2_TG)
    kept = await send(world, fill(third, {"SANG_KIEN": 2}), tg=BBT_TG)
    assert [c.criterion.code for c in kept.saved] == ["SANG_KIEN"]
    assert [c.address for c in kept.kept] == ["H5"]
    assert (await values_of(world))["NV_CHINH_TRI"][0] == "33"


async def test_nothing_new(world: World) -> None:
    await type_lines(world, "BBT", "NV_CHINH_TRI: 30")
    result = await send(world, await template(world))
    assert result.outcome is Upload.NOTHING and not result.bad and not result.saved


async def test_a_changed_table_sends_a_fresh_template_and_saves_nothing(world: World) -> None:
    data = fill(await template(world), {"NV_CHINH_TRI": 20})
    async with world.db.transaction() as conn:
        await conn.execute(update(criteria).where(criteria.c.code == "NV_CHINH_TRI")
                           .values(max_points=Decimal(30)))
        await blocks_repo.touch(conn, world.block.id)  # as setup does: cached trees expire
    result = await send(world, data)
    assert result.outcome is Upload.TABLE_CHANGED and result.template is not None
    assert await values_of(world) == {}
    fresh = read_template(result.template.data)
    assert not isinstance(fresh, str)
    async with world.db.read() as conn:
        max_points = (await conn.execute(select(criteria.c.max_points).where(
            criteria.c.code == "NV_CHINH_TRI"))).scalar_one()
    assert Decimal(max_points) == 30
    assert ("report.excel.table-changed", "mau.xlsx") in await audit_actions(world)
    again = await send(world, fill(result.template.data, {"NV_CHINH_TRI": 20}))
    assert again.outcome is Upload.SAVED


async def test_a_submitted_report_is_locked(world: World) -> None:
    await type_lines(world, "BBT")
    await submit(world, "BBT")
    result = await send(world, fill(await template_any(world), {"KHEN_THUONG": 1}))
    assert result.outcome is Upload.LOCKED
    assert ("report.excel.locked", "mau.xlsx") in await audit_actions(world)


async def template_any(world: World) -> bytes:
    """A template made while the report was still a draft (make_template refuses a
    submitted one): the unit downloaded it before a colleague submitted."""
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    return template_bytes(view, world.texts, "vi", world.clock.now())
