"""The scoring table for the provincial office (bảng tổng hợp kết quả chấm điểm), as xlsx.

Sheets: one per phase and one for the year (rank, unit, self and appraised points of every
criterion, bonus, penalty, total, late flag, status), the reported figures with their
targets, and the covenant signatures (bot.exports.covenant.signatures_sheet). Each sheet
starts with its title, the block and the export time; headers are frozen, columns sized,
numbers stored as numbers with `#,##0` / `#,##0.00` formats (Excel shows them with the
reader's own separators: 1.833.468.000 on a Vietnamese system).

Blocking work: call `workbook_bytes` / `write_ranking_workbook` through asyncio.to_thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.covenant import signatures_sheet
from bot.exports.xlsx import BOLD, HEADER_FILL, TITLE_FONT, fit_columns, sheet_title
from bot.formatting import format_date, format_datetime, format_points
from bot.services.ranking import Ranking, Standing
from bot.services.ranking_export import ExportData, ValueRow
from bot.services.scoring import round_points
from bot.texts import Catalog, catalog

POINTS = "#,##0.00"
WHOLE = "#,##0"
RANK = "0"
HEADER_ROW = 5  # rows 1-3: title, block, export time (and a note on row 4)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
POINTS_WIDTH = 12
VALUES_WIDTH_MIN = 11  # a wrapped header needs a few words per line
CRITERION_HEAD_HEIGHT = 90  # points: room for a wrapped criterion title
CRITERION_TITLE_MAX = 90  # characters of a title in a header cell


class _Writer:
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
        for criterion in ranking.criteria:
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
        self._print_setup(ws, f"{top}:{sub}")
        return ws

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
        for criterion in ranking.criteria:
            points = s.criteria[criterion.id]
            cells.append((points.self_points, POINTS))
            cells.append((points.points if year else points.appraised_points, POINTS))
        if year:
            cells += [(s.phase_totals.get(p.code), POINTS) for p in ranking.phases]
        late = ", ".join(s.late) if year else (self.t("ranking-xlsx-yes") if s.late else "")
        status = "provisional" if s.provisional else "final"
        cells += [(s.bonus, POINTS), (s.penalty, POINTS), (s.total, POINTS), (late, None),
                  (self.t(f"ranking-xlsx-status-{status}"), None)]
        for col, (value, fmt) in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.border = BOX
            if fmt:
                cell.number_format = fmt
        ws.cell(row=row, column=len(cells) - 2).font = BOLD  # the total

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

    @staticmethod
    def _print_setup(ws: Worksheet, title_rows: str) -> None:
        # The provincial office prints it: landscape, one page wide, headers on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = title_rows

    # -- figures and targets ------------------------------------------------------------
    def values_sheet(self, wb: Workbook) -> Worksheet:
        ws = wb.create_sheet(sheet_title(self.t("ranking-xlsx-sheet-values")))
        self.head(ws, self.t("ranking-xlsx-title-values"))
        keys = ("phase", "code", "unit", "criterion-code", "criterion", "kind", "value",
                "measure", "target", "percent", "self", "appraised", "reason", "evidence",
                "report")
        headers = [self.t(f"ranking-xlsx-col-{k}") for k in keys]
        for col, text in enumerate(headers, start=1):
            self.header_cell(ws, HEADER_ROW, col, text)
        rows = [self._value_cells(item) for item in self.data.values]
        for r, cells in enumerate(rows, start=HEADER_ROW + 1):
            for col, (value, fmt) in enumerate(cells, start=1):
                cell = ws.cell(row=r, column=col, value=value)
                if fmt:
                    cell.number_format = fmt
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
        # Headers wrap (row height below), so their longest word sets their share of width.
        words = [max(h.split(), key=len) for h in headers]
        fit_columns(ws, [words, *([value for value, _ in cells] for cells in rows)])
        ws.row_dimensions[HEADER_ROW].height = 48
        for col in range(1, len(headers) + 1):
            dim = ws.column_dimensions[get_column_letter(col)]
            dim.width = max(dim.width or 0, VALUES_WIDTH_MIN)
        for col in (5, 13):  # criterion titles and reasons: wrapped, not kilometre-wide
            ws.column_dimensions[get_column_letter(col)].width = 45
        for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(rows)):
            for col in (5, 7, 13):
                ws.cell(row=r, column=col).alignment = WRAP
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}" \
                             f"{HEADER_ROW + len(rows)}"
        self._print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
        return ws

    def _value_cells(self, item: ValueRow) -> list[tuple[Any, str | None]]:
        c, v = item.criterion, item.value
        return [
            (item.phase.name, None), (item.unit.code, None), (item.unit.name, None),
            (c.code, None), (c.title, None), (self.t(f"ranking-xlsx-kind-{c.kind}"), None),
            self._figure(c.kind, v.self_value if v else None),
            (c.measure or ("%" if c.kind == "percent" else ""), None),
            (item.target, _format_of(item.target)),
            (item.percent, POINTS),
            (_rounded(v.self_points if v else None), POINTS),
            (_rounded(v.appraised_points if v else None), POINTS),
            (v.appraisal_reason if v else None, None),
            (item.evidence, WHOLE),
            (self.t(f"ranking-xlsx-report-{item.report_status}"), None),
        ]

    def _figure(self, kind: str, raw: str | None) -> tuple[Any, str | None]:
        if raw is None:
            return None, None
        if kind == "yesno":
            return self.t("ranking-xlsx-yes" if raw == "yes" else "ranking-xlsx-no"), None
        if kind in ("number", "percent", "score"):
            try:
                number = Decimal(raw)
            except ArithmeticError:
                return raw, None
            return number, _format_of(number)
        return raw, None


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_points(value)


def _format_of(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return WHOLE if value == value.to_integral_value() else POINTS


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
    w.values_sheet(wb)
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
    ranking_workbook(data).save(buffer)
    return buffer.getvalue()


def write_ranking_workbook(data: ExportData, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ranking_workbook(data).save(path)
    return path


__all__: Sequence[str] = ["ranking_workbook", "workbook_bytes", "write_ranking_workbook"]
