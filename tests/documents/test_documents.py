"""The administrative frame (bot.documents): a Word document and a worksheet written, read
back by python-docx and openpyxl, and printed to PDF by LibreOffice where installed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.documents import docx as word
from bot.documents import layout
from bot.documents import xlsx as sheet
from bot.texts import catalog
from storage.records import Block, Unit
from tests.documents.pdf import pages, to_pdf

BLOCK = Block(1, "KTD6-2023", "Khối thi đua 6", "Bình Thuận", 2023, None,
              "Asia/Ho_Chi_Minh", "vi", {}, None)
CHAIR = Unit(1, 1, "VPTU", "Văn phòng Tỉnh ủy", "chair", None, {}, 0, True)
MEMBER = Unit(2, 1, "BTG", "Ban Tuyên giáo Tỉnh ủy", "member", None, {}, 1, True)


def _head() -> layout.DocumentHead:
    return layout.block_head(BLOCK, title="BIÊN BẢN KIỂM PHIẾU", on=date(2023, 2, 5),
                             kind="BB", summary=["Bình xét thi đua năm 2023"])


def test_the_head_follows_the_administrative_format() -> None:
    head = _head()
    assert head.issuer == "KHỐI THI ĐUA 6"
    assert head.number.startswith("Số:") and head.number.endswith("/BB-KTĐ6")
    assert head.nation == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert head.motto == "Độc lập - Tự do - Hạnh phúc"
    # days below 10 and months below 3 take a leading zero
    assert head.place_date == "Bình Thuận, ngày 05 tháng 02 năm 2023"
    assert layout.date_line(catalog(), "vi", None, date(2023, 12, 15)) == \
        "……, ngày 15 tháng 12 năm 2023"
    assert layout.chair_unit([MEMBER, CHAIR]) == CHAIR
    foot = layout.block_foot("vi", CHAIR, preparer=True)
    assert [s.caption for s in foot.signers] == ["NGƯỜI LẬP BIỂU", "TM. KHỐI TRƯỞNG"]
    assert foot.signers[1].office == "VĂN PHÒNG TỈNH ỦY"
    assert foot.recipients_caption == "Nơi nhận:"
    english = layout.block_head(
        Block(1, "K", "Block 6", None, 2023, None, "Asia/Ho_Chi_Minh", "en", {}, None),
        title="MINUTES", on=date(2023, 12, 15), kind="BB")
    assert english.nation == "SOCIALIST REPUBLIC OF VIETNAM"


def _docx(path: Path) -> Path:
    doc = word.new_document(_head())
    word.add_heading(doc, "I. KẾT QUẢ KIỂM PHIẾU")
    word.add_paragraph(doc, "Tổng số phiếu phát ra: 9 phiếu; thu vào: 9 phiếu. " * 8)
    word.add_table(doc, ["STT", "Đơn vị", "Số phiếu"], [[1, CHAIR.name, 9],
                                                        [2, MEMBER.name, 5]],
                   widths_mm=(15, 110, 30), align=("center", "left", "right"))
    word.add_signatures(doc, layout.block_foot("vi", CHAIR))
    word.save(doc, path)
    return path


def _xlsx(path: Path) -> Path:
    wb = sheet.new_workbook()
    ws = wb.create_sheet("Bảng")
    for col, width in zip("ABCDEF", (6, 40, 12, 12, 12, 14), strict=True):
        ws.column_dimensions[col].width = width
    row = sheet.write_head(ws, _head(), last_col=6, split=2)
    for col, text in enumerate(["STT", "Đơn vị", "Tự chấm", "Thẩm định", "Tổng", "Xếp loại"],
                               start=1):
        ws.cell(row=row, column=col, value=text)
    ws.cell(row=row + 1, column=1, value=1)
    ws.cell(row=row + 1, column=2, value=CHAIR.name)
    sheet.write_foot(ws, layout.block_foot("vi", CHAIR, preparer=True), row=row + 3,
                     last_col=6, split=2)
    sheet.print_setup(ws, landscape=False, title_rows=(row, row), footer="Trang &P/&N")
    sheet.use_font(ws)
    wb.save(path)
    return path


def _texts_of_docx(document: docx.document.Document) -> list[str]:
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            out += [cell.text for cell in row.cells]
    return out


def test_a_word_document_reads_back_as_an_a4_administrative_document(tmp_path: Path) -> None:
    document = docx.Document(str(_docx(tmp_path / "bien-ban.docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    head = document.tables[0]
    left, right = (cell.text for cell in head.rows[0].cells)
    assert "KHỐI THI ĐUA 6" in left and "Số:" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Bình Thuận, ngày 05 tháng 02 năm 2023" in right
    motto = next(r for p in head.rows[0].cells[1].paragraphs for r in p.runs
                 if r.text == "Độc lập - Tự do - Hạnh phúc")
    assert motto.underline and motto.bold
    assert head.style is None or head.style.name != "Table Grid"  # the head has no rules
    texts = _texts_of_docx(document)
    assert "BIÊN BẢN KIỂM PHIẾU" in texts
    lines = "\n".join(texts).split("\n")
    assert {"Nơi nhận:", "TM. KHỐI TRƯỞNG", "VĂN PHÒNG TỈNH ỦY"} <= set(lines)
    assert document.tables[1].style.name == "Table Grid"
    assert round(document.tables[1].rows[0].cells[0].width.mm) == 15


def test_a_worksheet_reads_back_with_the_frame_in_times_new_roman(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_xlsx(tmp_path / "bang.xlsx"))["Bảng"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    for text in ("KHỐI THI ĐUA 6", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Bình Thuận, ngày 05 tháng 02 năm 2023",
                 "BIÊN BẢN KIỂM PHIẾU", "NGƯỜI LẬP BIỂU", "TM. KHỐI TRƯỞNG",
                 "VĂN PHÒNG TỈNH ỦY"):
        assert text in values
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == \
        {"Times New Roman"}
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # "9"
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert round(ws.page_margins.left * 25.4) == 30
    assert ws.print_title_rows == "$7:$7"
    assert ws.oddFooter.center.text == "Trang &P/&N"


def test_libreoffice_prints_both_on_one_a4_page(tmp_path: Path) -> None:
    files = [_docx(tmp_path / "bien-ban.docx"), _xlsx(tmp_path / "bang.xlsx")]
    pdfs = to_pdf(files, tmp_path / "pdf")
    for name, pdf in pdfs.items():
        found = pages(pdf)
        assert len(found) == 1, name
        assert found[0].a4 and not found[0].landscape, (name, found)


@pytest.mark.parametrize("name, short", [("Khối thi đua 6", "KTĐ6"),
                                         ("Cụm thi đua các sở, ban, ngành số 3", "CTĐ3"),
                                         ("Khối 12", "K12")])
def test_abbreviation(name: str, short: str) -> None:
    assert layout.abbreviation(name) == short
