"""The figures sheet of the scoring-table workbook: every unit's reported figure for every
criterion and phase, with its target, the share reached, the points and the report's state.
Criteria worth no points ("không tính điểm") keep their figure but no points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.sheet_writer import HEADER_ROW, POINTS, SheetWriter
from bot.exports.xlsx import fit_columns, sheet_title
from bot.services.ranking.export import ValueRow
from bot.services.scoring import round_points

VALUES_WIDTH_MIN = 11  # a wrapped header needs a few words per line
WHOLE = "#,##0"
WRAP = Alignment(vertical="top", wrap_text=True)


def values_sheet(w: SheetWriter, wb: Workbook) -> Worksheet:
    """The figures sheet, after the score sheets."""
    ws = wb.create_sheet(sheet_title(w.t("ranking-xlsx-sheet-values")))
    w.head(ws, w.t("ranking-xlsx-title-values"))
    keys = ("phase", "code", "unit", "criterion-code", "criterion", "kind", "value",
            "measure", "target", "percent", "self", "appraised", "reason", "evidence",
            "report")
    headers = [w.t(f"ranking-xlsx-col-{k}") for k in keys]
    for col, text in enumerate(headers, start=1):
        w.header_cell(ws, HEADER_ROW, col, text)
    rows = [_value_cells(w, item) for item in w.data.values]
    for r, cells in enumerate(rows, start=HEADER_ROW + 1):
        for col, (value, fmt) in enumerate(cells, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if fmt:
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    # Headers wrap (row height below), so their longest word sets their share of width.
    words = [max(h.split(), key=len) for h in headers]
    fit_columns(ws, [words, *([value for value, _ in cells] for cells in rows)])
    ws.row_dimensions[HEADER_ROW].height = 48
    for col in range(1, len(headers) + 1):
        dim = ws.column_dimensions[get_column_letter(col)]
        dim.width = max(dim.width or 0, VALUES_WIDTH_MIN)
    for col in (5, 13):  # criterion titles and reasons: wrapped, not kilometre-wide
        ws.column_dimensions[get_column_letter(col)].width = 45
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(rows)):
        for col in (5, 7, 13):
            ws.cell(row=r, column=col).alignment = WRAP
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}" \
                         f"{HEADER_ROW + len(rows)}"
    w.print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    return ws

def _value_cells(w: SheetWriter, item: ValueRow) -> list[tuple[Any, str | None]]:
    c, v = item.criterion, item.value
    return [
        (item.phase.name, None), (item.unit.code, None), (item.unit.name, None),
        (c.code, None), (c.title, None), (w.t(f"ranking-xlsx-kind-{c.kind}"), None),
        _figure(w, c.kind, v.self_value if v else None),
        (c.measure or ("%" if c.kind == "percent" else ""), None),
        (item.target, format_of(item.target)),
        (item.percent, POINTS),
        (rounded(v.self_points if v and c.max_points else None), POINTS),
        (rounded(v.appraised_points if v and c.max_points else None), POINTS),
        (v.appraisal_reason if v else None, None),
        (item.evidence, WHOLE),
        (w.t(f"ranking-xlsx-report-{item.report_status}"), None),
    ]

def _figure(w: SheetWriter, kind: str, raw: str | None) -> tuple[Any, str | None]:
    if raw is None:
        return None, None
    if kind == "yesno":
        return w.t("ranking-xlsx-yes" if raw == "yes" else "ranking-xlsx-no"), None
    if kind in ("number", "percent", "score"):
        try:
            number = Decimal(raw)
        except ArithmeticError:
            return raw, None
        return number, format_of(number)
    return raw, None


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_points(value)


def format_of(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return WHOLE if value == value.to_integral_value() else POINTS
