"""The administrative frame on an openpyxl worksheet: the same head and foot as the Word
documents (bot.documents.layout), Times New Roman, A4 with the administrative margins,
the page number in the footer, header rows repeated on every printed page.

    row = write_head(ws, head, last_col=12)       # the table starts at `row`
    ... write the table ...
    write_foot(ws, foot, row=end + 2, last_col=12)
    print_setup(ws, landscape=True, title_rows=(row, row + 1), footer=...)
    use_font(ws)                                   # last: every cell in Times New Roman
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents.layout import (
    FONT_NAME,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    TABLE_SIZE,
    DocumentFoot,
    DocumentHead,
    Signer,
)

MM_PER_INCH = 25.4
HEAD_SIZE = 12
TITLE_SIZE = 14
LINE_HEIGHT = 18  # points per row of 12-13 pt text
DEFAULT_FONT, DEFAULT_SIZE = "Calibri", 11  # what openpyxl gives a cell never styled
DEFAULT_WIDTH = 8.43  # openpyxl's and Excel's width of a column never sized


def new_workbook() -> Workbook:
    """A workbook without the empty sheet openpyxl starts with."""
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    return wb


def _merged(ws: Worksheet, row: int, first: int, last: int, text: str, *,
            font: Font, align: str = "center", height: float | None = None,
            wrap: bool = False) -> None:
    """One line of the frame over columns first..last; `wrap` lets a long title take
    more lines (the row grows to fit, from the columns' widths: set them first)."""
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row=row, column=first, value=text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if wrap and height:
        height *= _lines(ws, first, last, text, float(font.sz or 11))
    if height:
        ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, height)


def _lines(ws: Worksheet, first: int, last: int, text: str, size: float) -> int:
    # A column's width counts characters of the default 11 pt font; bold capitals run
    # wider, hence the margin.
    width = sum(ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH
                for c in range(first, last + 1))
    per_line = max(int(width * 11 / size / 1.25), 1)
    return max(1, -(-len(text) // per_line))


def _font(size: float, *, bold: bool = False, italic: bool = False,
          underline: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic,
                underline="single" if underline else None)


def split_of(last_col: int, split: int | None) -> int:
    """Columns of the left part (issuer, "Nơi nhận"); the rest is the right part."""
    if split is not None:
        return max(1, min(split, last_col - 1))
    return max(1, min(round(last_col * 0.4), last_col - 1))


def write_head(ws: Worksheet, head: DocumentHead, *, last_col: int, row: int = 1,
               split: int | None = None) -> int:
    """Issuer and number left, Quốc hiệu and Tiêu ngữ right, the date line, the title and
    its summary lines; returns the first free row after a blank one. Set the columns'
    widths first: the title's row height follows them."""
    left = split_of(last_col, split)
    if head.superior:
        _merged(ws, row, 1, left, head.superior, font=_font(HEAD_SIZE))
        row += 1
    _merged(ws, row, 1, left, head.issuer, font=_font(HEAD_SIZE, bold=True),
            height=LINE_HEIGHT)
    _merged(ws, row, left + 1, last_col, head.nation, font=_font(HEAD_SIZE, bold=True))
    row += 1
    _merged(ws, row, 1, left, head.number, font=_font(HEAD_SIZE), height=LINE_HEIGHT)
    _merged(ws, row, left + 1, last_col, head.motto,
            font=_font(HEAD_SIZE + 1, bold=True, underline=True))
    row += 1
    _merged(ws, row, left + 1, last_col, head.place_date, font=_font(HEAD_SIZE + 1,
                                                                        italic=True),
            height=LINE_HEIGHT * 1.5)
    row += 1
    _merged(ws, row, 1, last_col, head.title, font=_font(TITLE_SIZE, bold=True),
            height=LINE_HEIGHT * 1.3, wrap=True)
    row += 1
    for line in head.summary:
        _merged(ws, row, 1, last_col, line, font=_font(HEAD_SIZE + 1, bold=True),
                height=LINE_HEIGHT, wrap=True)
        row += 1
    return row + 1


def write_foot(ws: Worksheet, foot: DocumentFoot, *, row: int, last_col: int,
               split: int | None = None) -> int:
    """Signatures (and "Nơi nhận" left when one signer); returns the row after them."""
    left = split_of(last_col, split)
    parts: list[tuple[int, int]] = [(1, left), (left + 1, last_col)]
    start = row
    signers = list(foot.signers)
    if len(signers) == 1:
        _signer(ws, signers[0], row, *parts[1])
        end = row + len(signers[0].lines())
        if foot.recipients:
            end = max(end, _recipients(ws, foot, row))
        return end
    for signer, (first, last) in zip(signers[-2:], parts, strict=False):
        _signer(ws, signer, start, first, last)
    end = start + max(len(s.lines()) for s in signers)
    if foot.recipients:
        end = _recipients(ws, foot, end + 1)
    return end


def _signer(ws: Worksheet, signer: Signer, row: int, first: int, last: int) -> None:
    for kind, text in signer.lines():
        font = _font(HEAD_SIZE + 1, bold=kind in ("bold", "name"), italic=kind == "italic")
        _merged(ws, row, first, last, text, font=font, height=LINE_HEIGHT)
        row += 1


def _recipients(ws: Worksheet, foot: DocumentFoot, row: int) -> int:
    # Not merged: each line runs on over the empty cells to its right, up to the signature.
    _merged(ws, row, 1, 1, foot.recipients_caption, align="left",
            font=_font(HEAD_SIZE, bold=True, italic=True))
    for line in foot.recipients:
        row += 1
        _merged(ws, row, 1, 1, line, align="left", font=_font(HEAD_SIZE - 1))
    return row + 1


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: tuple[int, int] | None = None,
                footer: str | None = None, fit_width: bool = True) -> None:
    """A4, the administrative margins, one page wide (as many pages down as needed), the
    table's header rows on every page, the page number in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_margins = PageMargins(
        left=MARGIN_LEFT_MM / MM_PER_INCH, right=MARGIN_RIGHT_MM / MM_PER_INCH,
        top=MARGIN_TOP_MM / MM_PER_INCH, bottom=MARGIN_BOTTOM_MM / MM_PER_INCH,
        header=0.3, footer=0.3)
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if footer:
        ws.oddFooter.center.text = footer
        ws.oddFooter.center.font = f"{FONT_NAME},Regular"
        ws.oddFooter.center.size = 10


def use_font(ws: Worksheet, size: float = TABLE_SIZE) -> None:
    """Every written cell in Times New Roman, keeping its weight, slant, underline and
    colour; cells left at the default font's size (or given none) take `size`. Call once
    the sheet is written."""
    made: dict[tuple[object, ...], Font] = {}  # a sheet uses a handful of fonts
    for row in ws.iter_rows():
        for cell in row:
            f = cell.font
            if f.name == FONT_NAME:
                continue
            default = f.sz is None or (f.name == DEFAULT_FONT and f.sz == DEFAULT_SIZE)
            key = (f.name, f.sz, f.b, f.i, f.u, f.strike, f.vertAlign,
                   f.color.rgb if f.color is not None else None)
            if key not in made:
                made[key] = Font(name=FONT_NAME, size=size if default else f.sz, bold=f.b,
                                 italic=f.i, underline=f.u, strike=f.strike, color=f.color,
                                 vertAlign=f.vertAlign)
            cell.font = made[key]
