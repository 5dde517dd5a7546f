"""The joint-activities sheet of the /export workbook: one row per activity and unit
(activity, time, unit, answer, people, attended, reason), for the provincial office."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.xlsx import sheet_title, write_table
from bot.formatting import format_datetime
from bot.services.activities.listing import ActivityRecord, UnitPart
from bot.texts import Catalog

_COLUMNS = ("activity", "time", "unit", "answer", "people", "attended", "reason")


def _answer(t: Catalog, lang: str, part: UnitPart) -> str:
    key = {"yes": "yes", "no": "no"}.get(part.answer or "", "none")
    return t.plain(lang, f"activity-xlsx-answer-{key}")


def _attended(t: Catalog, lang: str, part: UnitPart) -> str:
    key = "unknown" if part.attended is None else "yes" if part.attended else "no"
    return t.plain(lang, f"activity-xlsx-attended-{key}")


def activities_sheet(workbook: Workbook, records: Sequence[ActivityRecord], *, tz: ZoneInfo,
                     lang: str, texts: Catalog, title: str, sheet: str | None = None
                     ) -> Worksheet:
    """Add the sheet (also when the year has no activity: its header says what is tracked)."""
    ws = workbook.create_sheet(sheet_title(sheet or texts.plain(lang, "activity-xlsx-sheet")))
    headers = [texts.plain(lang, f"activity-xlsx-col-{c}") for c in _COLUMNS]
    rows = [
        [record.title, format_datetime(record.starts_at, tz), f"{part.unit_code} – "
         f"{part.unit_name}", _answer(texts, lang, part), part.people,
         _attended(texts, lang, part), part.reason or ""]
        for record in records for part in record.units
    ]
    write_table(ws, headers, rows, title=title)
    return ws
