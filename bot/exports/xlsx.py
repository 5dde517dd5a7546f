"""Small openpyxl helpers every export shares: saving safely, sheet titles, a titled table
with readable columns."""

from __future__ import annotations

import io
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.cached import FormulaCells, with_cached_values

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
# Excel's own limits: sheet titles 31 characters; widths beyond ~80 only make reading harder.
SHEET_TITLE_MAX = 31
COLUMN_WIDTH_MAX = 80
COLUMN_WIDTH_MIN = 6


def neutralise_formulas(workbook: Workbook, keep: FormulaCells | None = None) -> Workbook:
    """Keep every cell that looks like a formula as plain text, but the export's own.

    Units type free text (answers, names, reasons) and a value such as '=HYPERLINK(...)'
    would otherwise run in the provincial office's spreadsheet program. The only formulas
    that survive are those a writer recorded in `keep` (totals, ranks, grades), and only
    while the cell still holds exactly that formula. One pass just before saving covers
    every writer."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and not (keep and keep.keeps(ws, cell.coordinate)):
                    cell.data_type = "s"
    return workbook


def workbook_content(workbook: Workbook, formulas: FormulaCells | None = None) -> bytes:
    """The file's bytes: formulas neutralised but our own, which get their cached values
    (bot.exports.cached), and recomputed on opening by programs that compute."""
    neutralise_formulas(workbook, formulas)
    if formulas and formulas.cells:
        workbook.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    return with_cached_values(content, formulas) if formulas and formulas.cells else content


def save_workbook(workbook: Workbook, target: str | PathLike[str] | IO[bytes],
                  formulas: FormulaCells | None = None) -> None:
    """Save as `workbook_content`; a file path gets its folder created first."""
    content = workbook_content(workbook, formulas)
    if isinstance(target, (str, PathLike)):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_bytes(content)
    else:
        target.write(content)


def sheet_title(text: str) -> str:
    """Excel refuses []:*?/\\ in sheet titles and more than 31 characters."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text)
    return cleaned[:SHEET_TITLE_MAX]


def write_table(
    ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
    title: str | None = None,
) -> int:
    """Title row (optional), bold header, data rows; returns the header's row number."""
    row = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = TITLE_FONT
        row = 3
    header_row = row
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    fit_columns(ws, [headers, *rows])
    return header_row


def fit_columns(ws: Worksheet, rows: Sequence[Sequence[Any]]) -> None:
    widths: dict[int, int] = {}
    for values in rows:
        for col, value in enumerate(values, start=1):
            longest = max((len(line) for line in str(value or "").split("\n")), default=0)
            widths[col] = max(widths.get(col, 0), longest)
    for col, width in widths.items():
        size = min(COLUMN_WIDTH_MAX, max(COLUMN_WIDTH_MIN, width + 2))
        ws.column_dimensions[get_column_letter(col)].width = size
