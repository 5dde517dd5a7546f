"""The scoring table for the provincial office (bảng tổng hợp kết quả chấm điểm), as xlsx.

Sheets: one per phase and one for the year (rank, unit, self and appraised points of every
criterion, bonus, penalty, total, late flag, status), the reported figures with their
targets, and the covenant signatures (bot.exports.covenant.signatures_sheet). Each sheet
starts with its title, the block and the export time; headers are frozen, columns sized,
numbers stored as numbers with `#,##0` / `#,##0.0#` formats (Excel shows them with the
reader's own separators: 1.833.468.000 on a Vietnamese system; 38 points print as 38,0,
not 38,00). Criteria worth 0 points ("không tính điểm") are left out of the score sheets:
their figures are on the figures sheet. A unit without a report past the deadline keeps
its row, ranked last, with empty points and the status "Chưa nộp báo cáo".

Blocking work: call `workbook_bytes` / `write_ranking_workbook` through asyncio.to_thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.covenant import signatures_sheet
from bot.exports.ranking_values import values_sheet
from bot.exports.sheet_writer import BOX, HEADER_ROW, POINTS, RANK, SheetWriter
from bot.exports.xlsx import BOLD, save_workbook, sheet_title
from bot.formatting import format_date, format_datetime
from bot.services.ranking.export import ExportData
from bot.services.ranking.rank import Ranking, Standing
from bot.texts import Catalog, catalog
from storage.records import Criterion

POINTS_WIDTH = 12
CRITERION_HEAD_HEIGHT = 90  # points: room for a wrapped criterion title
CRITERION_TITLE_MAX = 90  # characters of a title in a header cell
NOTE_COLUMNS = 10  # the note under the title wraps within the first columns, on screen
NOTE_LINE_HEIGHT = 15  # points per line of 11-point text


class _Writer(SheetWriter):
    """The phase and year sheets; the figures sheet is ranking_values.values_sheet."""

    # -- phase and year sheets --------------------------------------------------------
    def ranking_sheet(self, wb: Workbook, ranking: Ranking, name: str, title: str,
                      note: str) -> Worksheet:
        ws = wb.create_sheet(name)
        year = ranking.period.is_year
        self.head(ws, title, note)
        top, sub = HEADER_ROW, HEADER_ROW + 1
        fixed = ["rank", "code", "unit"]
        for col, key in enumerate(fixed, start=1):
            self._tall_header(ws, col, self.t(f"ranking-xlsx-col-{key}"))
        col = len(fixed) + 1
        second = self.t("ranking-xlsx-col-counted" if year else "ranking-xlsx-col-appraised")
        for criterion in _scored(ranking):
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 1)
            self.header_cell(ws, top, col, self._criterion_head(criterion))
            self.header_cell(ws, top, col + 1, None)
            self.header_cell(ws, sub, col, self.t("ranking-xlsx-col-self"))
            self.header_cell(ws, sub, col + 1, second)
            col += 2
        tail = []
        if year:
            tail = [self.t("ranking-xlsx-col-phase-total", phase=p.name,
                           weight=self.number(ranking.weights[p.code])) for p in ranking.phases]
        tail += [self.t(f"ranking-xlsx-col-{k}")
                 for k in ("bonus", "penalty", "total", "late", "status")]
        for offset, text in enumerate(tail):
            self._tall_header(ws, col + offset, text)
        for index, standing in enumerate(ranking.standings):
            self._standing_row(ws, sub + 1 + index, standing, ranking)
        ws.row_dimensions[top].height = CRITERION_HEAD_HEIGHT
        ws.freeze_panes = ws.cell(row=sub + 1, column=len(fixed) + 1)
        self._widths(ws, ranking, col + len(tail) - 1)
        self._wrap_note(ws, col + len(tail) - 1)
        self.print_setup(ws, f"{top}:{sub}")
        return ws

    @staticmethod
    def _wrap_note(ws: Worksheet, last: int) -> None:
        """The note on row 4 wraps over the first columns instead of running off screen
        as one long line (call once the column widths are set)."""
        cell = ws.cell(row=4, column=1)
        if not cell.value:
            return
        end = min(last, NOTE_COLUMNS)
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=end)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 9
                    for c in range(1, end + 1))
        lines = -(-len(str(cell.value)) // max(int(width * 0.9), 1))  # italic runs wider
        ws.row_dimensions[4].height = NOTE_LINE_HEIGHT * max(lines, 1) + 3

    def _tall_header(self, ws: Worksheet, col: int, text: str) -> None:
        ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW + 1,
                       end_column=col)
        self.header_cell(ws, HEADER_ROW, col, text)
        self.header_cell(ws, HEADER_ROW + 1, col, None)

    def _criterion_head(self, criterion: Any) -> str:
        kind = "penalty" if criterion.penalty else "bonus" if criterion.bonus else None
        key = f"ranking-xlsx-criterion-{kind}" if kind else "ranking-xlsx-criterion"
        title = criterion.title
        if len(title) > CRITERION_TITLE_MAX:
            title = title[: CRITERION_TITLE_MAX - 1] + "…"
        return self.t(key, code=criterion.code, title=title,
                      max=self.number(criterion.max_points))

    def _standing_row(self, ws: Worksheet, row: int, s: Standing, ranking: Ranking) -> None:
        year = ranking.period.is_year
        cells: list[tuple[Any, str | None]] = [(s.rank, RANK), (s.unit.code, None),
                                               (s.unit.name, None)]
        for criterion in _scored(ranking):
            points = s.criteria[criterion.id]
            cells.append((points.self_points, POINTS))
            cells.append((points.points if year else points.appraised_points, POINTS))
        if year:
            cells += [(s.phase_totals.get(p.code), POINTS) for p in ranking.phases]
        cells += [(s.bonus, POINTS), (s.penalty, POINTS), (s.total, POINTS)]
        if s.unreported:  # no points to show, whatever a draft holds: the status says why
            cells = cells[:3] + [(None, None)] * (len(cells) - 3)
        cells += [(self._late(s, year), None), (self._status(s, year), None)]
        for col, (value, fmt) in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.border = BOX
            if fmt:
                cell.number_format = fmt
        ws.cell(row=row, column=len(cells) - 2).font = BOLD  # the total

    def _late(self, s: Standing, year: bool) -> str:
        if not year and s.unreported:
            return self.t("ranking-xlsx-late-unreported")
        if year and s.late:
            return ", ".join(s.late)
        return self.t("ranking-xlsx-yes" if s.late else "ranking-xlsx-no")

    def _status(self, s: Standing, year: bool) -> str:
        if s.unreported:
            return self.t("ranking-xlsx-status-unreported")
        status = self.t("ranking-xlsx-status-provisional" if s.provisional
                        else "ranking-xlsx-status-final")
        if year and s.missing:
            return self.t("ranking-xlsx-status-missing", status=status,
                          phases=", ".join(s.missing))
        return status

    def _widths(self, ws: Worksheet, ranking: Ranking, last: int) -> None:
        names = [s.unit.name for s in ranking.standings]
        ws.column_dimensions["A"].width = 10
        ws.column_dimensions["B"].width = max([11, *(len(s.unit.code) + 3
                                                    for s in ranking.standings)])
        ws.column_dimensions["C"].width = min(48, max([16, *(len(n) + 2 for n in names)]))
        for col in range(4, last + 1):
            ws.column_dimensions[get_column_letter(col)].width = POINTS_WIDTH
        ws.column_dimensions[get_column_letter(last)].width = 14  # status
        ws.column_dimensions[get_column_letter(last - 1)].width = 14  # late

def _scored(ranking: Ranking) -> list[Criterion]:
    return [c for c in ranking.criteria if c.max_points > 0]


def _unique(name: str, taken: set[str]) -> str:
    name = sheet_title(name)
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def ranking_workbook(data: ExportData, texts: Catalog | None = None) -> Workbook:
    w = _Writer(data, texts or catalog())
    wb = Workbook()
    for default in list(wb.worksheets):  # the empty sheet openpyxl starts with
        wb.remove(default)
    taken: set[str] = set()
    for ranking in data.phases:
        phase = ranking.period.phase
        assert phase is not None
        title = w.t("ranking-xlsx-title-phase", phase=phase.name,
                    start=format_date(phase.start), end=format_date(phase.end))
        w.ranking_sheet(wb, ranking, _unique(phase.name, taken), title, _note(w, ranking))
    year = data.block.year
    weights = "; ".join(w.t("ranking-xlsx-weight", phase=p.name,
                            weight=w.number(data.year.weights[p.code])) for p in data.year.phases)
    note = _note(w, data.year) + " " + w.t("ranking-xlsx-year-note", weights=weights)
    year_sheet = w.ranking_sheet(
        wb, data.year, _unique(w.t("ranking-xlsx-sheet-year", year=year), taken),
        w.t("ranking-xlsx-title-year", year=year), note)
    values_sheet(w, wb)
    exported = format_datetime(data.exported_at, w.tz)
    signatures_sheet(
        wb, data.signatures, tz=w.tz, lang=w.lang, texts=w.texts,
        sheet=_unique(w.t("ranking-xlsx-sheet-signatures"), taken),
        title=" – ".join([w.t("ranking-xlsx-title-signatures"),
                          w.t("ranking-xlsx-block", block=data.block.name, year=year),
                          w.t("ranking-xlsx-exported", time=exported)]),
    )
    wb.active = wb.worksheets.index(year_sheet)  # what the provincial office looks for
    wb.properties.title = w.t("ranking-xlsx-title-year", year=year)
    wb.properties.creator = "thidua-bot"
    return wb


def _note(w: _Writer, ranking: Ranking) -> str:
    return w.t("ranking-xlsx-provisional" if ranking.provisional else "ranking-xlsx-final")


def workbook_bytes(data: ExportData) -> bytes:
    buffer = io.BytesIO()
    save_workbook(ranking_workbook(data), buffer)
    return buffer.getvalue()


def write_ranking_workbook(data: ExportData, path: Path) -> Path:
    save_workbook(ranking_workbook(data), path)
    return path


__all__: Sequence[str] = ["ranking_workbook", "workbook_bytes", "write_ranking_workbook"]
