"""The covenant signing record: who signed which version when, with each SHA-256."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.xlsx import BOLD, save_workbook, sheet_title, write_table
from bot.formatting import format_datetime
from bot.services.covenant.record import SignatureRow, SigningRecord
from bot.texts import Catalog, catalog

_COLUMNS = ("no", "code", "unit", "signer", "tg", "time", "version", "hash", "status")


def _status(texts: Catalog, lang: str, row: SignatureRow) -> str:
    if row.signed_at is None:
        return texts.text(lang, "export-covenant-status-unsigned")
    key = "superseded" if row.superseded else "valid"
    return texts.text(lang, f"export-covenant-status-{key}")


def signatures_sheet(
    workbook: Workbook, rows: Sequence[SignatureRow], *, tz: ZoneInfo, lang: str = "vi",
    title: str | None = None, sheet: str | None = None, texts: Catalog | None = None,
) -> Worksheet:
    """Add a sheet with one row per signature (or unsigned unit); reusable by other exports."""
    texts = texts or catalog()
    ws = workbook.create_sheet(sheet_title(
        sheet or texts.text(lang, "export-covenant-sheet-signatures")))
    headers = [texts.text(lang, f"export-covenant-col-{c}") for c in _COLUMNS]
    table = [
        [
            n, r.unit_code, r.unit_name, r.signer_name or "",
            str(r.signer_tg_id) if r.signer_tg_id is not None else "",
            format_datetime(r.signed_at, tz) if r.signed_at else "",
            r.version if r.version is not None else "", r.text_hash or "",
            _status(texts, lang, r),
        ]
        for n, r in enumerate(rows, start=1)
    ]
    write_table(ws, headers, table, title=title)
    return ws


def text_sheet(workbook: Workbook, record: SigningRecord, *, lang: str, texts: Catalog
               ) -> Worksheet:
    """Every published version's exact text, newest first, with its hash; then each unit's
    own section of the current version as signed, so anyone can recompute a hash."""
    ws = workbook.create_sheet(sheet_title(texts.text(lang, "export-covenant-sheet-text")))
    ws.column_dimensions["A"].width = 100
    at = _Lines(ws)
    for version in reversed(record.versions):
        at.heading(texts.text(
            lang, "export-covenant-version", number=version.number,
            when=format_datetime(version.published_at, record.block.tz),
            hash=version.text_hash))
        at.text(version.text)
    signed = [r for r in record.current if r.signed_text and record.version]
    if signed and record.version is not None:
        at.heading(texts.text(lang, "export-covenant-pledges"))
        for row in signed:
            assert row.signed_text is not None
            at.heading(texts.text(lang, "export-covenant-pledge", unit=row.unit_name,
                                  hash=row.text_hash))
            at.text(row.signed_text.removeprefix(record.version.text).lstrip("\n"))
    return ws


class _Lines:
    """Writes down column A, one cell per line of text."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 1

    def heading(self, text: str) -> None:
        self.ws.cell(row=self.row, column=1, value=text).font = BOLD
        self.row += 1

    def text(self, text: str) -> None:
        for line in text.split("\n"):
            cell = self.ws.cell(row=self.row, column=1, value=line)
            cell.alignment = Alignment(wrap_text=True)
            self.row += 1
        self.row += 1


def covenant_workbook(record: SigningRecord, texts: Catalog | None = None) -> Workbook:
    texts = texts or catalog()
    lang = record.block.language
    workbook = Workbook()
    for default in list(workbook.worksheets):  # the empty sheet openpyxl starts with
        workbook.remove(default)
    title = texts.text(lang, "export-covenant-title", block=record.block.name,
                       year=record.block.year)
    tz = record.block.tz
    signatures_sheet(workbook, record.current, tz=tz, lang=lang, title=title, texts=texts)
    signatures_sheet(workbook, record.history, tz=tz, lang=lang, texts=texts,
                     sheet=texts.text(lang, "export-covenant-sheet-history"))
    text_sheet(workbook, record, lang=lang, texts=texts)
    return workbook


def write_covenant_record(record: SigningRecord, path: Path) -> Path:
    save_workbook(covenant_workbook(record), path)
    return path
