"""Word documents (python-docx) in the administrative format: A4, the margins and the
two-column head of Nghị định 30/2020 (a borderless table), Times New Roman 13 pt, the foot
with "Nơi nhận" and the signatures.

    doc = new_document(head)          # head: bot.documents.layout.DocumentHead
    add_heading(doc, "I. KẾT QUẢ")    # then add_paragraph / add_table as needed
    add_signatures(doc, foot)         # foot: bot.documents.layout.DocumentFoot
    save(doc, path_or_stream)

Blocking work: call `save` (and the building) through asyncio.to_thread from the bot.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import IO, Any

from docx import Document as open_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.documents.layout import (
    A4_MM,
    BODY_SIZE,
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

HEAD_SIZE = 12  # the issuer and the national title are set a little smaller
# The left part of the head is about 2/5 of the width, the national title the rest.
HEAD_SHARE = 0.36
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def text_width_mm(doc: Document) -> float:
    section = doc.sections[-1]
    assert section.page_width and section.left_margin and section.right_margin
    return float(section.page_width.mm - section.left_margin.mm - section.right_margin.mm)


def new_document(head: DocumentHead, *, landscape: bool = False) -> Document:
    """A4 with the administrative margins and fonts, the head already written."""
    doc = open_document()
    section = doc.sections[0]
    short, long = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_SIZE)
    _write_head(doc, head)
    return doc


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
         underline: bool = False, size: float | None = None) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name = FONT_NAME
    if size:
        run.font.size = Pt(size)


def _line(cell: _Cell | Document, text: str, *, align: str = "center", first: bool = False,
          **style: Any) -> Paragraph:
    """A paragraph in a cell (its first, empty one when `first`) or in the body."""
    paragraph = cell.paragraphs[0] if first and isinstance(cell, _Cell) else cell.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _run(paragraph, text, **style)
    return paragraph


def _borderless(doc: Document, cols: int, widths_mm: Sequence[float]) -> Table:
    # The default template's table style ("Normal Table") draws no borders.
    table = doc.add_table(rows=1, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_mm)
    return table


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _write_head(doc: Document, head: DocumentHead) -> None:
    width = text_width_mm(doc)
    left_mm = width * HEAD_SHARE
    table = _borderless(doc, 2, (left_mm, width - left_mm))
    left, right = table.rows[0].cells
    first = True
    if head.superior:
        _line(left, head.superior, first=True, size=HEAD_SIZE)
        first = False
    _line(left, head.issuer, first=first, bold=True, size=HEAD_SIZE)
    _line(left, "―――――", size=HEAD_SIZE)
    _line(left, head.number, size=BODY_SIZE)
    _line(right, head.nation, first=True, bold=True, size=HEAD_SIZE)
    _line(right, head.motto, bold=True, underline=True, size=BODY_SIZE)
    _line(right, "")
    _line(right, head.place_date, italic=True, size=BODY_SIZE)
    title = _line(doc, head.title, bold=True, size=BODY_SIZE + 1)
    title.paragraph_format.space_before = Pt(18)
    for line in head.summary:
        _line(doc, line, bold=True, size=BODY_SIZE)
    _line(doc, "")


def add_heading(doc: Document, text: str, level: int = 1) -> Paragraph:
    """A section heading of the body: bold (level 1) or bold italic (level 2 and below)."""
    paragraph = _line(doc, text, align="justify", bold=True, italic=level > 1)
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def add_paragraph(doc: Document, text: str, *, bold: bool = False, italic: bool = False,
                  align: str = "justify", indent: bool = True) -> Paragraph:
    """Running text: justified, first line indented 1 cm, 6 pt after."""
    paragraph = _line(doc, text, align=align, bold=bold, italic=italic)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def add_table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              widths_mm: Sequence[float] | None = None,
              align: Sequence[str] | None = None) -> Table:
    """A ruled table ("Table Grid"), bold centred headers, 12 pt; values shown as given
    (format numbers with bot.formatting before)."""
    table = doc.add_table(rows=1, cols=len(headers), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = list(align or ["left"] * len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _line(cell, text, first=True, bold=True, size=TABLE_SIZE)
    for values in rows:
        cells = table.add_row().cells
        for cell, value, where in zip(cells, values, aligns, strict=True):
            _line(cell, "" if value is None else str(value), first=True, align=where,
                  size=TABLE_SIZE)
    if widths_mm:
        _widths(table, widths_mm)
    return table


def _signer(cell: _Cell, signer: Signer, first: bool) -> None:
    for kind, text in signer.lines():
        _line(cell, text, first=first, bold=kind == "bold", italic=kind == "italic",
              size=BODY_SIZE if kind != "italic" else BODY_SIZE - 1)
        first = False


def add_signatures(doc: Document, foot: DocumentFoot) -> Table:
    """"Nơi nhận" bottom left and the signature bottom right; with two signers and no
    recipients (minutes), the signers side by side, and recipients, if any, under them."""
    _line(doc, "")
    recipients = bool(foot.recipients) and len(foot.signers) == 1
    cols = len(foot.signers) + (1 if recipients else 0)
    width = text_width_mm(doc)
    table = _borderless(doc, cols, [width / cols] * cols)
    cells = list(table.rows[0].cells)
    if recipients:
        _recipients(cells.pop(0), foot, first=True)
    for cell, signer in zip(cells, foot.signers, strict=True):
        _signer(cell, signer, first=True)
    if foot.recipients and not recipients:
        _line(doc, "")
        _recipients(doc, foot, first=False)
    return table


def _recipients(where: _Cell | Document, foot: DocumentFoot, *, first: bool) -> None:
    _line(where, foot.recipients_caption, align="left", first=first, bold=True, italic=True,
          size=TABLE_SIZE)
    for line in foot.recipients:
        _line(where, line, align="left", size=TABLE_SIZE - 1)


def save(doc: Document, target: str | PathLike[str] | IO[bytes]) -> None:
    """Save; a file path gets its folder created first."""
    if isinstance(target, (str, PathLike)):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(Path(target)))
    else:
        doc.save(target)
