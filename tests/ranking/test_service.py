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

    book = await asyncio.to_thread(load_workbook, path)
    try:
        assert book.sheetnames == ["Đợt 1", "Đợt 2", "Cả năm 2023", "Số liệu và chỉ tiêu",
                                   "Ký kết giao ước"]
        ws = book["Cả năm 2023"]
        rows = cell_values(ws)
        assert rows[0][0] == "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2023"
        assert rows[1][0] == "Khối thi đua 6 – năm 2023"
        assert rows[2][0] == "Số liệu xuất lúc 09:00 01/12/2023"
        assert ws.freeze_panes == "D7"
        header = rows[4]
        assert header[:3] == ["Xếp hạng", "Mã đơn vị", "Tên đơn vị"]
        assert str(header[3]).startswith("Hoàn thành nhiệm vụ chính trị")
        assert str(header[3]).endswith("(tối đa 40 điểm) – mã NV_CHINH_TRI")
        # KET_QUA_NOI_BAT counts no points: it is on the figures sheet, not here
        assert not any("KET_QUA_NOI_BAT" in str(h) for h in header)
        assert rows[5][3:5] == ["Tự chấm", "Điểm tính"]
        total_col = header.index("Tổng điểm")
        got = {r[1]: D(str(r[total_col])) for r in rows[6:] if r[total_col] is not None}
        assert got == {s.unit.code: s.total for s in year.standings if not s.unreported}
        assert got == {"BBT": D("108.00"), "UBKT": D("90.50")}
        assert [r[0] for r in rows[6:9]] == [1, 2, 3]
        # the seven units that never reported: ranked last together, no points, said why
        silent = [r for r in rows[6:] if r[1] not in got]
        assert len(silent) == 7 and {r[0] for r in silent} == {3}
        assert all(set(r[3:total_col + 1]) == {None} for r in silent)
        assert {r[-1] for r in silent} == {"Chưa nộp báo cáo (xếp cuối)"}
        assert ws.cell(row=7, column=total_col + 1).number_format == "#,##0.0#"
        assert header[total_col + 1] == "Nộp trễ hạn"
        assert rows[6][total_col + 1] == "Không"  # not a blank: the office reads "no"
        note = ws.cell(row=4, column=1)
        assert "Điểm cả năm bằng tổng điểm các đợt" in str(note.value)
        assert note.alignment.wrap_text and "A4:" in str(ws.merged_cells)

        dot1 = cell_values(book["Đợt 1"])
        assert dot1[5][3:5] == ["Tự chấm", "Thẩm định"]
        ubkt = next(r for r in dot1 if r[1] == "UBKT")
        assert ubkt[3:5] == [35, 35] and ubkt[-2:] == ["Không", "Chính thức"]
        bbt = next(r for r in dot1 if r[1] == "BBT")
        assert bbt[3:5] == [35, None] and bbt[-1] == "Tạm tính"
        vptu = next(r for r in dot1 if r[1] == "VPTU")
        assert vptu[0] == 3 and vptu[-2:] == ["Chưa nộp", "Chưa nộp báo cáo (xếp cuối)"]

        values = book["Số liệu và chỉ tiêu"]
        money = next(r for r in values.iter_rows(min_row=6)
                     if r[1].value == "BBT" and r[3].value == "TIEN_VAN_DONG"
                     and r[0].value == "Đợt 1")
        assert money[6].value == 150000000 and money[6].number_format == "#,##0"
        assert money[8].value == 200000000 and money[9].value == 75
        assert money[14].value == "Đã nộp, chờ thẩm định"

        signatures = cell_values(book["Ký kết giao ước"])
        assert "Khối thi đua 6" in str(signatures[0][0])
        assert len([r for r in signatures[3:] if r[1]]) == 9  # one row per unit
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
    assert await asyncio.to_thread(main, ["export", "--block", code, "--out", str(out)]) == 0
    assert "first: UBKT (90.50)" in capsys.readouterr().out
    book = await asyncio.to_thread(load_workbook, out)
    try:
        assert "Cả năm 2023" in book.sheetnames
    finally:
        book.close()
    assert await asyncio.to_thread(main, ["export", "--block", "NOPE"]) == 2
