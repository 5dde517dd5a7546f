"""The scoring table for the provincial office (bảng tổng hợp kết quả chấm điểm), as xlsx.

Sheets: one per phase and one for the year (bot.exports.ranking_sheets: the groups' self
and appraised points, total, rank and grade as formulas, the late report, an empty
"Đề nghị khen thưởng" column), the per-criterion detail (bot.exports.ranking_values) and
the covenant signatures (bot.exports.covenant.signing_list_sheet). Each sheet is an
administrative document (bot.documents): the block's head and the date line, the title,
A4 landscape (the signatures portrait), one page wide with its header rows on every page,
Times New Roman, and the signature blocks "NGƯỜI LẬP BIỂU" and "TM. KHỐI TRƯỞNG". No
Telegram account appears anywhere. Criteria worth 0 points ("không tính điểm") are only on
the detail sheet. A unit without a report past the deadline keeps its row, ranked last,
with empty points and "Chưa nộp báo cáo".

Blocking work: call `workbook_bytes` / `write_ranking_workbook` through asyncio.to_thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from bot.documents import layout
from bot.documents.xlsx import new_workbook
from bot.exports.activities import activities_sheet
from bot.exports.covenant import signing_list_sheet
from bot.exports.ranking_sheets import MainSheet, phase_summary
from bot.exports.ranking_values import values_sheet
from bot.exports.sheet_writer import SheetWriter
from bot.exports.xlsx import save_workbook, sheet_title, workbook_content
from bot.services.ranking.export import ExportData
from bot.services.ranking.grades import block_grades
from bot.texts import Catalog, catalog


def _unique(name: str, taken: set[str]) -> str:
    name = sheet_title(name)
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def build(data: ExportData, texts: Catalog | None = None) -> tuple[Workbook, SheetWriter]:
    """The workbook and the writer holding its formulas (for `save_workbook`)."""
    w = SheetWriter(data, texts or catalog())
    grades = block_grades(data.block.settings, w.lang, w.texts)
    wb = new_workbook()
    taken: set[str] = set()
    year = data.block.year
    names = [_unique(r.period.phase.name if r.period.phase else "", taken)
             for r in data.phases]
    year_name = _unique(w.t("doc-score-sheet-year", year=year), taken)
    detail = _unique(w.t("doc-detail-sheet"), taken)
    for ranking, name in zip(data.phases, names, strict=True):
        sheet = MainSheet(w, ranking, grades)
        sheet.write(wb, name, w.t("doc-score-title"),
                    [phase_summary(w, ranking), sheet.status()], sheet.notes(detail))
    sheet = MainSheet(w, data.year, grades, data.phases)
    year_sheet = sheet.write(wb, year_name, w.t("doc-score-title-year", year=year),
                             [sheet.status()], sheet.notes(detail))
    values_sheet(w, wb, [sheet.status()])
    version = data.covenant
    signing_list_sheet(
        wb, data.signatures, block=data.block,
        chair=(c.name if (c := layout.chair_unit(data.tree.units)) else None),
        version=version.number if version else None,
        covenant_title=version.title if version else None,
        published=version.published_at if version else None,
        exported_at=data.exported_at, texts=w.texts,
        sheet=_unique(w.t("doc-sign-sheet-list"), taken))
    joint = activities_sheet(wb, data.activities, tz=w.tz, lang=w.lang, texts=w.texts,
                             title=w.t("activity-xlsx-title", block=data.block.name,
                                       year=year),
                             sheet=_unique(w.t("activity-xlsx-sheet"), taken))
    w.finish(joint, landscape=True, title_rows=(3, 3))  # write_table's header row
    wb.active = wb.worksheets.index(year_sheet)  # what the provincial office looks for
    wb.properties.title = w.t("doc-score-title-year", year=year)
    wb.properties.creator = "thidua-bot"
    return wb, w


def ranking_workbook(data: ExportData, texts: Catalog | None = None) -> Workbook:
    return build(data, texts)[0]


def workbook_bytes(data: ExportData) -> bytes:
    wb, w = build(data)
    return workbook_content(wb, w.formulas)


def write_ranking_workbook(data: ExportData, path: Path) -> Path:
    wb, w = build(data)
    save_workbook(wb, path, w.formulas)
    return path


__all__: Sequence[str] = ["build", "ranking_workbook", "workbook_bytes",
                          "write_ranking_workbook"]
