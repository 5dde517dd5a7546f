"""The signing record: "DANH SÁCH XÁC NHẬN KÝ KẾT GIAO ƯỚC THI ĐUA NĂM …".

Sheet 1, A4 portrait in the administrative format (bot.documents): one table (unit,
representative, time, version, the first characters of the hash), the count, the
signatures of the chair and of whoever compiled it; 15 units print on at most two pages.
Sheet 2: every signature ever made with its full SHA-256, every published version's
exact text, and each unit's own section as signed, so anyone can recompute a hash
(`thidua-bot covenant verify` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents import layout
from bot.documents import xlsx as frame
from bot.exports.sheet_writer import BOX, CENTER, HEADER_FILL, LEFT, LINE_POINTS
from bot.exports.xlsx import save_workbook, sheet_title
from bot.formatting import format_date, format_datetime
from bot.services.covenant.record import SignatureRow, SigningRecord
from bot.texts import Catalog, catalog
from storage.records import Block

SHORT_HASH = 12  # characters of the hash on the printed list; the full one is on sheet 2
LIST_COLUMNS = (("no", 5), ("unit", 30), ("signer", 22), ("time", 16), ("version", 9),
                ("hash", 15))
HISTORY_COLUMNS = (("no", 5), ("unit", 28), ("signer", 20), ("time", 16), ("version", 8),
                   ("hash-full", 52), ("status", 13))
BODY_SIZE = 12


def _t(texts: Catalog, lang: str, key: str, **params: object) -> str:
    return texts.plain(lang, key, **params)


def _table(ws: Worksheet, top: int, columns: Sequence[tuple[str, float]],
           rows: Sequence[Sequence[object]], texts: Catalog, lang: str,
           centred: Sequence[int] = (1, 4, 5, 6)) -> int:
    """Header at `top` and one bordered row per item; returns the last row."""
    for col, (key, _) in enumerate(columns, start=1):
        cell = ws.cell(row=top, column=col, value=_t(texts, lang, f"doc-sign-col-{key}"))
        cell.font, cell.fill, cell.alignment, cell.border = (Font(bold=True), HEADER_FILL,
                                                             CENTER, BOX)
    ws.row_dimensions[top].height = 36
    row = top
    for values in rows:
        row += 1
        lines = 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.border = BOX
            cell.alignment = CENTER if col in centred else LEFT
            width = columns[col - 1][1]
            if isinstance(value, str) and col in (2, 3):
                lines = max(lines, -(-len(value) // max(int(width * 1.1), 1)))
        ws.row_dimensions[row].height = LINE_POINTS * lines + 6
    return row


def _widths(ws: Worksheet, columns: Sequence[tuple[str, float]]) -> None:
    for col, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def signing_list_sheet(
    wb: Workbook, rows: Sequence[SignatureRow], *, block: Block, chair: str | None,
    version: int | None, covenant_title: str | None, published: datetime | None,
    exported_at: datetime, texts: Catalog, sheet: str | None = None,
    text_sheet: str | None = None,
) -> Worksheet:
    """The printed list (sheet 1); reusable by other exports (the scoring table)."""
    lang, tz = block.language, block.tz
    ws = wb.create_sheet(sheet_title(sheet or _t(texts, lang, "doc-sign-sheet-list")))
    _widths(ws, LIST_COLUMNS)
    last = len(LIST_COLUMNS)
    if version is not None and published is not None:
        summary = _t(texts, lang, "doc-sign-summary", title=covenant_title or "",
                     version=version, date=format_date(published.astimezone(tz).date()))
    else:
        summary = _t(texts, lang, "doc-sign-summary-none")
    head = layout.block_head(block, title=_t(texts, lang, "doc-sign-title", year=block.year),
                             on=exported_at.astimezone(tz).date(), kind="DS",
                             summary=[summary], texts=texts)
    top = frame.write_head(ws, head, last_col=last, split=2)
    table = [
        [n, r.unit_name, r.signer_name or "",
         format_datetime(r.signed_at, tz) if r.signed_at else _t(texts, lang,
                                                                 "doc-sign-unsigned"),
         r.version if r.signed_at and r.version is not None else "",
         (r.text_hash or "")[:SHORT_HASH]]
        for n, r in enumerate(rows, start=1)
    ]
    end = _table(ws, top, LIST_COLUMNS, table, texts, lang)
    signed = sum(1 for r in rows if r.signed_at is not None)
    notes = [_t(texts, lang, "doc-sign-count", signed=signed, total=len(rows))]
    if text_sheet:
        notes.append(_t(texts, lang, "doc-sign-note-hash", length=SHORT_HASH,
                        sheet=text_sheet))
    row = end + 1
    for line in notes:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = ws.cell(row=row, column=1, value=line)
        cell.font = Font(italic=True, size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = LINE_POINTS * (1 + len(line) // 90) + 2
        row += 1
    foot = layout.block_foot(lang, chair, preparer=True, recipients=False, texts=texts)
    frame.write_foot(ws, foot, row=row + 1, last_col=last, split=3)
    frame.print_setup(ws, landscape=False, title_rows=(top, top),
                      footer=_t(texts, lang, "document-page-footer"))
    frame.use_font(ws, BODY_SIZE)
    return ws


def text_sheet(wb: Workbook, record: SigningRecord, *, texts: Catalog) -> Worksheet:
    """Sheet 2: every signature with its full hash, every version's text, each pledge."""
    lang, tz = record.block.language, record.block.tz
    ws = wb.create_sheet(sheet_title(_t(texts, lang, "doc-sign-sheet-text")))
    _widths(ws, HISTORY_COLUMNS)
    last = len(HISTORY_COLUMNS)
    width = sum(w for _, w in HISTORY_COLUMNS)
    lines = _Lines(ws, last, width)
    lines.heading(_t(texts, lang, "doc-sign-text-title"), size=14)
    lines.heading(_t(texts, lang, "doc-sign-hashes"))
    history = [
        [n, r.unit_name, r.signer_name or "",
         format_datetime(r.signed_at, tz) if r.signed_at else "", r.version or "",
         r.text_hash or "",
         _t(texts, lang, "doc-sign-status-superseded" if r.superseded
            else "doc-sign-status-valid")]
        for n, r in enumerate(record.history, start=1)
    ]
    top = lines.row
    end = _table(ws, top, HISTORY_COLUMNS, history, texts, lang, centred=(1, 4, 5, 7))
    for row in range(top + 1, end + 1):
        ws.cell(row=row, column=6).font = Font(name="Courier New", size=9)
    lines.row = end + 2
    for version in reversed(record.versions):
        lines.heading(_t(texts, lang, "doc-sign-version", number=version.number,
                         when=format_datetime(version.published_at, tz),
                         hash=version.text_hash))
        lines.text(version.text)
    signed = [r for r in record.current if r.signed_text and record.version]
    if signed and record.version is not None:
        lines.heading(_t(texts, lang, "doc-sign-pledges"))
        for item in signed:
            assert item.signed_text is not None
            lines.heading(_t(texts, lang, "doc-sign-pledge", unit=item.unit_name,
                             hash=item.text_hash))
            lines.text(item.signed_text.removeprefix(record.version.text).lstrip("\n"))
    frame.print_setup(ws, landscape=True, title_rows=None,
                      footer=_t(texts, lang, "document-page-footer"))
    frame.use_font(ws, BODY_SIZE)
    return ws


class _Lines:
    """Writes text down the sheet, one merged, wrapped row per line."""

    def __init__(self, ws: Worksheet, last: int, width: float) -> None:
        self.ws, self.last, self.width = ws, last, width
        self.row = 1

    def _put(self, text: str, font: Font) -> None:
        ws = self.ws
        ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                       end_column=self.last)
        cell = ws.cell(row=self.row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        count = max(1, -(-len(text) // max(int(self.width * 0.95), 1)))
        ws.row_dimensions[self.row].height = LINE_POINTS * count + 2
        self.row += 1

    def heading(self, text: str, size: float = BODY_SIZE) -> None:
        self._put(text, Font(bold=True, size=size))

    def text(self, text: str) -> None:
        for line in text.split("\n"):
            self._put(line, Font())
        self.row += 1


def covenant_workbook(record: SigningRecord, texts: Catalog | None = None,
                      now: datetime | None = None) -> Workbook:
    texts = texts or catalog()
    lang = record.block.language
    wb = frame.new_workbook()
    version = record.version
    signing_list_sheet(
        wb, record.current, block=record.block, chair=record.chair,
        version=version.number if version else None,
        covenant_title=version.title if version else None,
        published=version.published_at if version else None,
        exported_at=now or datetime.now(UTC), texts=texts,
        text_sheet=_t(texts, lang, "doc-sign-sheet-text"))
    text_sheet(wb, record, texts=texts)
    wb.properties.title = _t(texts, lang, "doc-sign-title", year=record.block.year)
    wb.properties.creator = "thidua-bot"
    return wb


def write_covenant_record(record: SigningRecord, path: Path,
                          now: datetime | None = None) -> Path:
    save_workbook(covenant_workbook(record, now=now), path)
    return path
