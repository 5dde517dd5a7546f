"""The template the bot writes, read back with openpyxl: one row per criterion, only the
value column unlocked, a data validation per kind, the reader's language, frozen header,
printing set up, and the hidden protected identity sheet with the table's fingerprint."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.services.report_excel import layout
from bot.services.report_excel.reading import read_template
from tests.report_excel.helpers import report_sheet, row_of
from tests.report_excel.service import template
from tests.reports.conftest import World
from tests.reports.helpers import fill


async def test_one_row_per_criterion_with_what_the_unit_needs(world: World) -> None:
    await fill(world, "BBT", "NV_CHINH_TRI: 35,5\nHOAT_DONG_CHUNG: có\nTIEN_VAN_DONG: 150.000.000")
    wb = load_workbook(io.BytesIO(await template(world)))
    ws = report_sheet(wb)
    assert ws.title == "Báo cáo"
    header = [c.value for c in ws[layout.HEADER_ROW]]
    assert header == ["Nhóm tiêu chí", "Mã", "Tiêu chí", "Cách chấm", "Đơn vị tính",
                      "Chỉ tiêu", "Điểm tối đa", "Giá trị"]
    codes = [ws.cell(row=r, column=layout.CODE_COL).value
             for r in range(layout.FIRST_ROW, ws.max_row + 1)]
    assert codes == [c.code for c in world.tree.criteria]
    money = [c.value for c in ws[row_of(ws, "TIEN_VAN_DONG")]]
    assert money[:3] == ["I. Nhiệm vụ chính trị", "TIEN_VAN_DONG",
                         "Số tiền vận động hỗ trợ cơ sở, người nghèo"]
    assert money[4:] == ["đồng", 200_000_000, 10, 150_000_000]  # BBT's own target
    assert ws.cell(row=row_of(ws, "NV_CHINH_TRI"), column=8).value == 35.5
    assert ws.cell(row=row_of(ws, "HOAT_DONG_CHUNG"), column=8).value == "Có"
    assert "Tự chấm từ 0 đến 40 điểm" in ws.cell(row=row_of(ws, "NV_CHINH_TRI"),
                                                   column=4).value
    assert "Báo Bình Thuận (BBT)" in ws.cell(row=layout.UNIT_ROW, column=1).value
    assert "17 giờ 00, ngày 20/6/2023" in ws.cell(row=layout.UNIT_ROW, column=1).value


async def test_only_the_value_cells_are_unlocked_and_the_header_is_frozen(world: World) -> None:
    wb = load_workbook(io.BytesIO(await template(world)))
    ws = report_sheet(wb)
    assert ws.protection.sheet and wb.security.lockStructure
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == {f"H{r}" for r in range(layout.FIRST_ROW,
                                               layout.FIRST_ROW + len(world.tree.criteria))}
    assert ws.freeze_panes == f"A{layout.FIRST_ROW}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["G"].width


async def test_each_kind_has_its_validation(world: World) -> None:
    ws = report_sheet(load_workbook(io.BytesIO(await template(world))))
    rules = {}
    for dv in ws.data_validations.dataValidation:
        for cell in str(dv.sqref).split():
            rules[cell] = dv
    score = rules[f"H{row_of(ws, 'NV_CHINH_TRI')}"]
    assert (score.type, score.operator, score.formula1, score.formula2) == (
        "decimal", "between", "0", "40")
    assert "từ 0 đến 40" in score.error and score.showErrorMessage
    percent = rules[f"H{row_of(ws, 'CHUYEN_DOI_SO')}"]
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    yesno = rules[f"H{row_of(ws, 'HOAT_DONG_CHUNG')}"]
    assert (yesno.type, yesno.formula1) == ("list", '"Có,Không"')
    text = rules[f"H{row_of(ws, 'KET_QUA_NOI_BAT')}"]
    assert (text.type, text.operator, text.formula1) == ("textLength", "lessThanOrEqual", "3000")
    number = rules[f"H{row_of(ws, 'TIEN_VAN_DONG')}"]
    assert (number.type, number.formula1) == ("decimal", "0")


async def test_the_identity_sheet_is_hidden_protected_and_names_block_phase_unit(
    world: World,
) -> None:
    await fill(world, "BBT", "KHEN_THUONG: 12")
    data = await template(world)
    wb = load_workbook(io.BytesIO(data))
    hidden = wb[layout.IDENTITY_SHEET]
    assert hidden.sheet_state == "veryHidden" and hidden.protection.sheet
    filled = read_template(data)
    assert not isinstance(filled, str)
    identity = filled.identity
    assert (identity.block_code, identity.phase_code, identity.unit_code) == (
        "KTD6-2023", "DOT1", "BBT")
    assert identity.unit_id == world.unit("BBT").id
    assert identity.fingerprint == layout.fingerprint(world.tree.criteria)
    assert identity.values == {"KHEN_THUONG": "12"}


async def test_the_reader_language_is_used(world: World) -> None:
    ws = report_sheet(load_workbook(io.BytesIO(await template(world, lang="en"))))
    assert ws.title == "Report"
    assert [c.value for c in ws[layout.HEADER_ROW]][-1] == "Value"
    dv = next(d for d in ws.data_validations.dataValidation if d.type == "list")
    assert dv.formula1 == '"Yes,No"'


def test_the_fingerprint_changes_with_the_table(world: World) -> None:
    from dataclasses import replace
    from decimal import Decimal

    criteria = world.tree.criteria
    before = layout.fingerprint(criteria)
    assert layout.fingerprint(criteria) == before
    changed = (replace(criteria[0], max_points=Decimal(30)), *criteria[1:])
    assert layout.fingerprint(changed) != before
    assert layout.fingerprint(tuple(reversed(criteria))) != before
