"""The frame every sheet of the scoring-table workbook shares: its texts in the block's
language, the administrative head and foot (bot.documents), header and body cells, number
formats and the printed page (A4, one page wide, header rows on every page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents import layout
from bot.documents import xlsx as frame
from bot.exports.cached import FormulaCells
from bot.formatting import format_points
from bot.services.ranking.export import ExportData
from bot.texts import Catalog

# Points show as the reader's system writes numbers: 38, 87,5, 87,25 (never "38,0").
# The language tag makes LibreOffice use Vietnamese separators whatever its own locale;
# Excel reads the tag and uses the system's separators, as it does for every format.
LANG_TAG = {"vi": "[$-42A]", "en": ""}
HEADER_FILL = PatternFill("solid", fgColor="E7EEF7")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
BODY_SIZE = 12
LINE_POINTS = 16  # height of one line of 12 pt text


class SheetWriter:
    """Texts, formats and the frame of a sheet; `formulas` collects the formulas written."""

    def __init__(self, data: ExportData, texts: Catalog) -> None:
        self.data, self.texts = data, texts
        self.lang = data.block.language
        self.tz = data.block.tz
        self.formulas = FormulaCells()
        tag = LANG_TAG.get(self.lang, "")
        self.points_format = f"{tag}General"
        self.whole_format = f"{tag}#,##0"
        self.decimal_format = f"{tag}#,##0.0#"

    def t(self, key: str, **params: Any) -> str:
        return self.texts.plain(self.lang, key, **params)

    def number(self, value: Decimal) -> str:
        return format_points(value, self.lang)

    # -- the frame --------------------------------------------------------------------
    def head(self, ws: Worksheet, title: str, summary: list[str], last_col: int, *,
             split: int | None = None, kind: str = "BTH") -> int:
        """The administrative head over columns 1..last_col; returns the table's row."""
        on = self.data.exported_at.astimezone(self.tz).date()
        head = layout.block_head(self.data.block, title=title, on=on, kind=kind,
                                 summary=summary, texts=self.texts)
        return frame.write_head(ws, head, last_col=last_col, split=split)

    def foot(self, ws: Worksheet, row: int, last_col: int, *, split: int | None = None) -> int:
        foot = layout.block_foot(self.lang, layout.chair_unit(self.data.tree.units),
                                 preparer=True, recipients=False, texts=self.texts)
        return frame.write_foot(ws, foot, row=row, last_col=last_col, split=split)

    def notes(self, ws: Worksheet, row: int, last_col: int, lines: list[str]) -> int:
        """Italic notes under the table, each over the table's width; returns the next row."""
        for line in lines:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
            cell = ws.cell(row=row, column=1, value=line)
            cell.font = Font(italic=True, size=11)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = LINE_POINTS * self.lines_in(ws, 1, last_col, line)
            row += 1
        return row

    def finish(self, ws: Worksheet, *, landscape: bool, title_rows: tuple[int, int]) -> None:
        frame.print_setup(ws, landscape=landscape, title_rows=title_rows,
                          footer=self.t("document-page-footer"))
        frame.use_font(ws, BODY_SIZE)

    # -- cells ------------------------------------------------------------------------
    def header_cell(self, ws: Worksheet, row: int, col: int, text: str | None) -> None:
        """A header cell; text None styles the covered part of a merged header."""
        cell = ws.cell(row=row, column=col)
        if text is not None:
            cell.value = text
        cell.font = Font(bold=True, size=11)
        cell.fill, cell.alignment, cell.border = HEADER_FILL, CENTER, BOX

    def header(self, ws: Worksheet, row: int, col: int, text: str, *, rows: int = 1,
               cols: int = 1) -> None:
        """A header cell over `rows` x `cols` cells."""
        if rows > 1 or cols > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1,
                           end_column=col + cols - 1)
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                self.header_cell(ws, r, c, text if (r, c) == (row, col) else None)

    def body(self, ws: Worksheet, row: int, col: int, value: Any, *, points: bool = False,
             align: Alignment | None = None, bold: bool = False) -> None:
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = BOX
        if points:
            cell.number_format = self.points_format
        cell.alignment = align or (RIGHT if points else LEFT)
        if bold:
            cell.font = Font(bold=True)

    def formula(self, ws: Worksheet, row: int, col: int, formula: str, cached: Any, *,
                points: bool = False, align: Alignment | None = None,
                bold: bool = False) -> None:
        self.body(ws, row, col, None, points=points, align=align, bold=bold)
        self.formulas.put(ws, row, col, formula, "" if cached is None else cached)

    def format_for(self, value: Decimal | None) -> str | None:
        """Whole numbers with thousands separators, fractions with one or two decimals."""
        if value is None:
            return None
        return self.whole_format if value == value.to_integral_value() else \
            self.decimal_format

    @staticmethod
    def lines_in(ws: Worksheet, first: int, last: int, text: str, size: float = 12) -> int:
        """Lines a wrapped text takes over columns first..last (widths already set)."""
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                    for c in range(first, last + 1))
        # A width unit is a digit of the default 11 pt font; Times New Roman's letters are
        # narrower than that digit on average.
        per_line = max(int(width * 11 / size * 1.2), 1)
        return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
