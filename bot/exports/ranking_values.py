"""The per-criterion detail sheet of the scoring table: every unit's reported figure for
every criterion and phase, with its target, the share reached, the full, self-assessed and
appraised points, the reason of a change and the evidence count. Criteria worth no points
("không tính điểm") keep their figure. One row per unit, criterion and phase, 11 columns:
A4 landscape, one page wide, the header row on every page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.sheet_writer import CENTER, LINE_POINTS, RIGHT, SheetWriter
from bot.exports.xlsx import sheet_title
from bot.services.ranking.export import ValueRow
from bot.services.scoring import round_points

COLUMNS = (("phase", 8), ("unit", 22), ("criterion", 36), ("value", 15), ("target", 12),
           ("percent", 8), ("max", 7), ("self", 8), ("appraised", 8), ("reason", 22),
           ("evidence", 9))
WRAPPED = (2, 3, 4, 10)  # columns whose text wraps (and sets the row's height)


def values_sheet(w: SheetWriter, wb: Workbook, summary: list[str]) -> Worksheet:
    """The detail sheet, after the score sheets."""
    ws = wb.create_sheet(sheet_title(w.t("doc-detail-sheet")))
    last = len(COLUMNS)
    for col, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    top = w.head(ws, w.t("doc-detail-title"), summary, last, split=3)
    for col, (key, _) in enumerate(COLUMNS, start=1):
        w.header(ws, top, col, w.t(f"doc-detail-col-{key}"))
    ws.row_dimensions[top].height = 48
    row = top
    for item in w.data.values:
        row += 1
        cells = _cells(w, item)
        height = 1
        for col, (value, fmt) in enumerate(cells, start=1):
            numeric = isinstance(value, (int, Decimal))
            w.body(ws, row, col, value, align=RIGHT if numeric else None)
            if fmt:
                ws.cell(row=row, column=col).number_format = fmt
            if col in WRAPPED and value is not None and not numeric:
                height = max(height, w.lines_in(ws, col, col, str(value)))
        ws.cell(row=row, column=11).alignment = CENTER
        ws.row_dimensions[row].height = LINE_POINTS * height + 4
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(last)}{row}"
    w.finish(ws, landscape=True, title_rows=(top, top))
    return ws


def _cells(w: SheetWriter, item: ValueRow) -> list[tuple[Any, str | None]]:
    c, v = item.criterion, item.value
    title = c.title + (f" ({c.measure})" if c.measure else "")
    if c.bonus or c.penalty:
        title = w.t("doc-detail-bonus" if c.bonus else "doc-detail-penalty", title=title)
    scored = c.max_points > 0
    figure = _figure(w, c.kind, v.self_value if v else None)
    if v is None and item.report_status == "none":
        figure = (w.t("doc-detail-unreported"), None)
    return [
        (item.phase.name, None), (item.unit.name, None), (title, None), figure,
        (item.target, w.format_for(item.target)),
        (item.percent, w.points_format),
        (c.max_points if scored else w.t("doc-detail-unscored"), w.points_format),
        (rounded(v.self_points if v and scored else None), w.points_format),
        (rounded(v.appraised_points if v and scored else None), w.points_format),
        (v.appraisal_reason if v else None, None),
        (item.evidence or None, w.whole_format),
    ]


def _figure(w: SheetWriter, kind: str, raw: str | None) -> tuple[Any, str | None]:
    if raw is None:
        return None, None
    if kind == "yesno":
        return w.t("doc-detail-yes" if raw == "yes" else "doc-detail-no"), None
    if kind in ("number", "percent", "score"):
        try:
            number = Decimal(raw)
        except ArithmeticError:
            return raw, None
        return number, w.format_for(number)
    return raw, None


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_points(value)
