"""The frame every sheet of the scoring-table workbook shares: its texts in the block's
language, the title rows, header cells, number formats and the printed page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.xlsx import BOLD, HEADER_FILL, TITLE_FONT
from bot.formatting import format_datetime, format_points
from bot.services.ranking.export import ExportData
from bot.texts import Catalog

POINTS = "#,##0.0#"
RANK = "0"
HEADER_ROW = 5  # rows 1-3: title, block, export time (and a note on row 4)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class SheetWriter:
    """Texts and the frame of a sheet (title, block, export time, note; header cells)."""

    def __init__(self, data: ExportData, texts: Catalog) -> None:
        self.data, self.texts = data, texts
        self.lang = data.block.language
        self.tz = data.block.tz

    def t(self, key: str, **params: Any) -> str:
        return self.texts.plain(self.lang, key, **params)

    def number(self, value: Decimal) -> str:
        return format_points(value, self.lang)

    # -- the top of every sheet -----------------------------------------------------
    def head(self, ws: Worksheet, title: str, note: str | None = None) -> None:
        block = self.data.block
        ws.cell(row=1, column=1, value=title).font = TITLE_FONT
        ws.cell(row=2, column=1, value=self.t("ranking-xlsx-block", block=block.name,
                                              year=block.year)).font = BOLD
        ws.cell(row=3, column=1, value=self.t(
            "ranking-xlsx-exported", time=format_datetime(self.data.exported_at, self.tz)))
        if note:
            ws.cell(row=4, column=1, value=note).font = Font(italic=True)

    def header_cell(self, ws: Worksheet, row: int, col: int, text: str | None) -> None:
        """A header cell; text None styles the covered part of a merged header."""
        cell = ws.cell(row=row, column=col) if text is None else ws.cell(row=row, column=col,
                                                                         value=text)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BOX

    @staticmethod
    def print_setup(ws: Worksheet, title_rows: str) -> None:
        # The provincial office prints it: landscape, one page wide, headers on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = title_rows
