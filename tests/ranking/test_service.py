"""Ranking and progress from the database: one aggregate query, units' own targets, and
the scoring-table workbook read back with openpyxl (and written by the CLI)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.services.ranking.charts import PROGRESS, RANKING, chart_for
from bot.services.ranking.export import load_export
from bot.services.ranking.rank import Period, load_ranking
from bot.services.review.appraisal import accept_report
from tests.conftest import counting_statements
from tests.exports.read import main_table, texts_of
from tests.reports.conftest import CHAIR_TG, UBKT_TG, World, local
from tests.reports.helpers import fill, submit

D = Decimal


async def two_reports(world: World) -> None:
    """BBT 88 (own target 200M), UBKT 90.5, both submitted on time; UBKT appraised."""
    await fill(world, "BBT")
    await submit(world, "BBT")
    await fill(world, "UBKT", tg=UBKT_TG)
    ubkt = await submit(world, "UBKT", UBKT_TG)
    await accept_report(world.db, world.clock, world.texts, block=world.block,
                        actor_tg_id=CHAIR_TG, report_id=ubkt.view.report.id)


async def test_ranking_reads_reports_in_one_query(world: World) -> None:
    await two_reports(world)
    with counting_statements(world.db) as statements:
        ranking = await load_ranking(world.db, world.block, Period(world.phase("DOT1")))
    assert len([s for s in statements if "report_values" in s]) == 1
    top = [(s.rank, s.unit.code, s.total, s.provisional) for s in ranking.standings[:3]]
    assert top == [(1, "UBKT", D("90.50"), False), (2, "BBT", D("88.00"), True),
                   (3, "BDV", D(0), True)]
    # The seven units with nothing share rank 3, listed by code.
    assert [s.unit.code for s in ranking.standings[2:]] == sorted(
        ["VPTU", "BTG", "BDV", "DUK", "BTC", "TCT", "BNC"])
    assert {s.rank for s in ranking.standings[2:]} == {3}


async def test_chart_for_picks_the_period_and_explains_problems(world: World) -> None:
    await two_reports(world)
    now = world.clock.now()
    answer = await chart_for(world.db, world.block, RANKING, None, now=now, lang="vi")
    assert answer.chart is not None and answer.chart.period_label == "Đợt 1"
    year = await chart_for(world.db, world.block, RANKING, "year", now=now, lang="en")
    assert year.chart is not None and year.chart.period_label == "Whole year 2023"
    bad = await chart_for(world.db, world.block, RANKING, "DOT7", now=now, lang="vi")
    assert (bad.chart, bad.problem, bad.code, bad.codes) == (
        None, "ranking-unknown-period", "DOT7", "DOT1, DOT2")
    no_year = await chart_for(world.db, world.block, PROGRESS, "year", now=now, lang="vi")
    assert no_year.problem == "progress-year"
    early = await chart_for(world.db, world.block, RANKING, None,
                            now=local(2022, 12, 1, 9, 0), lang="vi")
    assert early.problem == "ranking-no-phase"


async def test_progress_uses_each_units_own_target(world: World) -> None:
    await two_reports(world)
    answer = await chart_for(world.db, world.block, PROGRESS, "DOT1",
                             now=world.clock.now(), lang="vi")
    chart = answer.chart
    assert chart is not None and [c for c, _ in chart.criteria] == [  # type: ignore[union-attr]
        "TIEN_VAN_DONG", "CHUYEN_DOI_SO"]
    entries = {e.unit_code: e.percent_by_criterion for e in chart.entries}  # type: ignore[union-attr]
    assert entries["BBT"] == {"TIEN_VAN_DONG": D(75), "CHUYEN_DOI_SO": D("95.00")}
    assert entries["UBKT"]["TIEN_VAN_DONG"] == D(150)  # the criterion's 100M target
    assert entries["VPTU"] == {}


def cell_values(ws: object) -> list[list[object]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]  # type: ignore[attr-defined]


async def test_workbook_totals_match_the_year_ranking(world: World, tmp_path: Path) -> None:
    from bot.exports.ranking import write_ranking_workbook

    await two_reports(world)
    world.clock.set(local(2023, 12, 1, 9, 0))
    await fill(world, "BBT", "NV_CHINH_TRI: 20")  # a DOT2 draft: counts, provisional
    data = await load_export(world.db, world.block, world.clock.now())
    path = await asyncio.to_thread(write_ranking_workbook, data, tmp_path / "out.xlsx")
    year = await load_ranking(world.db, world.block, Period(None), now=world.clock.now())
    names = {u.code: u.name for u in world.tree.units}

    # data_only: the cached values, what a reader that does not compute shows
    book = await asyncio.to_thread(load_workbook, path, data_only=True)
    try:
        assert book.sheetnames == ["Đợt 1", "Đợt 2", "Cả năm 2023", "Chi tiết tiêu chí",
                                   "Danh sách ký kết", "Hoạt động chung"]
        ws = book["Cả năm 2023"]
        texts = texts_of(ws)
        assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2023" in texts
        assert "Bình Thuận, ngày 01 tháng 12 năm 2023" in texts
        assert "(Kết quả tạm tính, số liệu đến 09:00 01/12/2023)" in texts
        table = main_table(ws)
        assert table.header[:2] == ["Xếp hạng", "Đơn vị"]
        assert table.header[2] == "Đợt 1 (hệ số 1)" and table.sub[2:4] == ["Tự chấm",
                                                                          "Được tính"]
        assert ws.freeze_panes == f"C{table.top + 2}"
        got = {k: D(str(v)) for k, v in table.by_unit("Tổng điểm").items() if v is not None}
        assert got == {names[s.unit.code]: s.total for s in year.standings
                       if not s.unreported}
        assert got == {names["BBT"]: D("108.00"), names["UBKT"]: D("90.50")}
        assert [r[0] for r in table.rows[:3]] == [1, 2, 3]
        # the seven units that never reported: ranked last together, no points, said why
        silent = [r for r in table.rows if r[1] not in got]
        total = table.column("Tổng điểm")
        assert len(silent) == 7 and {r[0] for r in silent} == {3}
        assert all(set(r[2:total + 2]) == {None} for r in silent)  # no total, no grade
        late = table.by_unit("Nộp báo cáo trễ hạn")
        assert {late[n] for n in late if n not in got} == {"Chưa nộp"}
        assert late[names["UBKT"]] == "Không"  # not a blank: the office reads "no"
        assert table.by_unit("Xếp loại")[names["BBT"]] == "Trung bình"  # 108 of 200: 54 %
        assert set(table.by_unit("Đề nghị khen thưởng").values()) == {None}

        dot1 = main_table(book["Đợt 1"])
        assert dot1.sub[2:4] == ["Tự chấm", "Thẩm định"]
        assert str(dot1.header[2]).startswith("I. Nhiệm vụ chính trị (tối đa 50 điểm)")
        ubkt = next(r for r in dot1.rows if r[1] == names["UBKT"])
        assert ubkt[2:4] == [45, 45] and ubkt[dot1.column("Xếp loại")] == "Tốt"  # 90,5
        bbt = next(r for r in dot1.rows if r[1] == names["BBT"])
        assert bbt[2] == 42.5 and bbt[3] is None  # not appraised yet: no appraised points
        vptu = next(r for r in dot1.rows if r[1] == names["VPTU"])
        assert vptu[0] == 3 and vptu[dot1.column("Nộp báo cáo trễ hạn")] == "Chưa nộp"

        detail = book["Chi tiết tiêu chí"]
        money = next(r for r in detail.iter_rows()
                     if r[1].value == names["BBT"] and r[0].value == "Đợt 1"
                     and str(r[2].value).startswith("Số tiền vận động"))
        assert money[3].value == 150000000 and money[3].number_format == "[$-42A]#,##0"
        assert money[4].value == 200000000 and money[5].value == 75

        signatures = texts_of(book["Danh sách ký kết"])
        assert "DANH SÁCH XÁC NHẬN KÝ KẾT GIAO ƯỚC THI ĐUA NĂM 2023" in signatures
        assert all(n in signatures for n in names.values())  # one row per unit
    finally:
        book.close()


async def test_cli_writes_the_same_workbook(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await two_reports(world)
    monkeypatch.setenv("DATABASE_URL", world.db.url)
    monkeypatch.chdir(tmp_path)
    await world.db.close()  # the CLI runs its own event loop and engine
    out = tmp_path / "khoi6.xlsx"
    code = world.block.code
    argv = ["--lang", "en", "export", "--block", code, "--out", str(out)]
    assert await asyncio.to_thread(main, argv) == 0
    assert "first: Ủy ban Kiểm tra Tỉnh ủy (90.5 points)" in capsys.readouterr().out
    book = await asyncio.to_thread(load_workbook, out)
    try:
        assert "Cả năm 2023" in book.sheetnames
    finally:
        book.close()
    assert await asyncio.to_thread(main, ["export", "--block", "NOPE"]) == 2
