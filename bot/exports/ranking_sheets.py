"""The main sheets of the scoring table: one per phase, one for the year.

A phase sheet has, per unit in rank order: the rank, the unit's name, the self-assessed
and appraised points of each criterion group, the bonus and the penalty counted, the
total, the grade (Xếp loại), the late report, and an empty "Đề nghị khen thưởng" column
for the chair. The year sheet has each phase's self-assessed and counted totals instead of
the groups. Total, rank and grade are formulas over the sheet's own cells (an edit by the
provincial office recomputes them), written with the values the bot computed as their
cached values (bot.exports.cached); the formulas give the bot's own figures:
  total = ROUND(Σ groups (appraised, or self where not appraised) + bonus − penalty, 2)
  year  = ROUND(Σ phases weight × counted, 2)
  rank  = RANK among the totals (ties share), a unit without any report ranks after all.
A group's "Thẩm định" cell is empty until the unit's points are final or the chair has
appraised a criterion of the group. When a block has too many groups for one printed
page (MAX_COLUMNS), a group keeps one column of counted points, or the base table one pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.sheet_writer import CENTER, LINE_POINTS, SheetWriter
from bot.formatting import format_date, format_datetime
from bot.services.ranking.grades import Grade, grade_of
from bot.services.ranking.rank import Ranking, Standing
from bot.services.scoring import ONE, ZERO, max_base
from storage.records import Criterion

MAX_COLUMNS = 14  # one A4 landscape width at a readable size
WIDTHS = {"rank": 7, "unit": 33, "points": 8.5, "total": 9, "grade": 11, "late": 11,
          "proposal": 14}
HEAD_ROWS = 2  # group names over "Tự chấm" / "Thẩm định"
# The width every main sheet spans (in column units), so all print at one scale: the
# example block's 14 columns at the widths above.
PAGE_WIDTH = 153
UNIT_WIDTH_MAX = 44


@dataclass(frozen=True)
class Pair:
    """One group's columns (self, counted) on a phase sheet, or a phase's on the year."""

    label: str
    criteria: tuple[Criterion, ...]
    paired: bool = True  # False: one column of counted points
    phase: str | None = None  # the phase code on the year sheet
    weight: Decimal = ONE


def _scored(ranking: Ranking) -> list[Criterion]:
    return [c for c in ranking.criteria if c.max_points > 0]


def _groups(w: SheetWriter, ranking: Ranking, fixed: int) -> list[Pair]:
    base = [c for c in _scored(ranking) if not (c.bonus or c.penalty)]
    groups: dict[str, list[Criterion]] = {}
    for c in base:
        groups.setdefault(c.group_name or w.t("doc-score-group-other"), []).append(c)

    def label(name: str, items: Sequence[Criterion]) -> str:
        total = sum((c.max_points for c in items), ZERO)
        return w.t("doc-score-group", group=name, max=w.number(total))

    if fixed + 2 * len(groups) <= MAX_COLUMNS:
        return [Pair(label(n, cs), tuple(cs)) for n, cs in groups.items()]
    if fixed + len(groups) <= MAX_COLUMNS:
        return [Pair(label(n, cs), tuple(cs), paired=False) for n, cs in groups.items()]
    full = w.number(sum((c.max_points for c in base), ZERO))
    return [Pair(w.t("doc-score-group-all", max=full), tuple(base))]


def _sum(values: Sequence[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


class MainSheet:
    """Writes one phase or year sheet; columns are laid out once, then row by row."""

    def __init__(self, w: SheetWriter, ranking: Ranking, grades: Sequence[Grade],
                 phases: Sequence[Ranking] = ()) -> None:
        self.w, self.ranking, self.grades = w, ranking, tuple(grades)
        self.year = ranking.period.is_year
        self.by_phase = {r.period.code: {s.unit.id: s for s in r.standings} for r in phases}
        scored = [] if self.year else _scored(ranking)  # the year: in the phase totals
        self.bonus = [c for c in scored if c.bonus]
        self.penalty = [c for c in scored if c.penalty]
        fixed = 6 + bool(self.bonus) + bool(self.penalty)
        if self.year:
            self.pairs = [Pair(w.t("doc-score-col-phase", phase=p.name,
                                   weight=w.number(ranking.weights[p.code])), (),
                               paired=fixed + 2 * len(ranking.phases) <= MAX_COLUMNS,
                               phase=p.code, weight=ranking.weights[p.code])
                          for p in ranking.phases]
        else:
            self.pairs = _groups(w, ranking, fixed)
        weight_sum = sum(ranking.weights.values(), ZERO) or ONE
        self.full_marks = max_base(ranking.criteria) * weight_sum
        col = 3
        self.cols: list[tuple[int, int | None]] = []  # (self or counted, counted or None)
        for pair in self.pairs:
            self.cols.append((col, col + 1) if pair.paired else (col, None))
            col += 2 if pair.paired else 1
        self.bonus_col = col if self.bonus else None
        col += bool(self.bonus)
        self.penalty_col = col if self.penalty else None
        col += bool(self.penalty)
        self.total_col, self.grade_col, self.late_col, self.proposal_col = range(col, col + 4)
        self.last = self.proposal_col

    # -- the sheet ----------------------------------------------------------------------
    def write(self, wb: Workbook, name: str, title: str, summary: list[str],
              notes: list[str]) -> Worksheet:
        w = self.w
        ws = wb.create_sheet(name)
        self._widths(ws)
        top = w.head(ws, title, summary, self.last, split=2)
        self._header(ws, top)
        first = top + HEAD_ROWS
        rows = range(first, first + len(self.ranking.standings))
        for row, standing in zip(rows, self.ranking.standings, strict=True):
            self._row(ws, row, standing, first, first + len(rows) - 1)
        end = w.notes(ws, first + len(rows) + 1, self.last, notes)
        w.foot(ws, end + 1, self.last, split=2)
        ws.freeze_panes = ws.cell(row=first, column=3)
        w.finish(ws, landscape=True, title_rows=(top, top + HEAD_ROWS - 1))
        return ws

    def _widths(self, ws: Worksheet) -> None:
        sizes = {1: WIDTHS["rank"], 2: WIDTHS["unit"], self.total_col: WIDTHS["total"],
                 self.grade_col: WIDTHS["grade"], self.late_col: WIDTHS["late"],
                 self.proposal_col: WIDTHS["proposal"]}
        widths = {col: sizes.get(col, WIDTHS["points"]) for col in range(1, self.last + 1)}
        # A narrow sheet (few groups, the year) would print larger, run onto a second page
        # and look unlike its neighbours: widen the names, then the points, to PAGE_WIDTH.
        missing = PAGE_WIDTH - sum(widths.values())
        if missing > 0:
            grow = min(missing, UNIT_WIDTH_MAX - widths[2])
            widths[2] += grow
            points = [c for c in widths if c not in sizes]
            for col in points:
                widths[col] += (missing - grow) / len(points)
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width

    def _header(self, ws: Worksheet, top: int) -> None:
        w, t = self.w, self.w.t
        w.header(ws, top, 1, t("doc-score-col-rank"), rows=2)
        w.header(ws, top, 2, t("doc-score-col-unit"), rows=2)
        second = t("doc-score-col-counted" if self.year else "doc-score-col-appraised")
        for pair, (first, counted) in zip(self.pairs, self.cols, strict=True):
            if counted is None:
                w.header(ws, top, first, pair.label)
                w.header(ws, top + 1, first, t("doc-score-col-points"))
                continue
            w.header(ws, top, first, pair.label, cols=2)
            w.header(ws, top + 1, first, t("doc-score-col-self"))
            w.header(ws, top + 1, counted, second)
        if self.bonus_col:
            w.header(ws, top, self.bonus_col, t("doc-score-col-bonus", max=w.number(
                _sum([c.max_points for c in self.bonus]))), rows=2)
        if self.penalty_col:
            w.header(ws, top, self.penalty_col, t("doc-score-col-penalty", max=w.number(
                _sum([c.max_points for c in self.penalty]))), rows=2)
        for col, key in ((self.total_col, "total"), (self.grade_col, "grade"),
                         (self.late_col, "late"), (self.proposal_col, "proposal")):
            w.header(ws, top, col, t(f"doc-score-col-{key}"), rows=2)
        widest = max([w.lines_in(ws, f, c or f, p.label, 11)
                      for p, (f, c) in zip(self.pairs, self.cols, strict=True)] + [2])
        ws.row_dimensions[top].height = 15 * widest + 4
        ws.row_dimensions[top + 1].height = 32

    # -- one unit -----------------------------------------------------------------------
    def _cells(self, s: Standing) -> list[tuple[Decimal | None, Decimal | None]]:
        """Per pair (self or counted, counted or None); all None for a unit without any
        report, 0 rather than empty for a unit whose report is simply not in yet."""
        if s.unreported:
            return [(None, None) for _ in self.pairs]
        out: list[tuple[Decimal | None, Decimal | None]] = []
        for pair in self.pairs:
            if pair.phase is not None:
                phase = self.by_phase.get(pair.phase, {}).get(s.unit.id)
                if phase is None or phase.unreported:
                    out.append((None, None))
                elif pair.paired:
                    out.append((phase.self_total, phase.total))
                else:
                    out.append((phase.total, None))
                continue
            points = [s.criteria[c.id] for c in pair.criteria]
            counted = _sum([p.points for p in points])
            if not pair.paired:
                out.append((counted, None))
                continue
            shown = not s.provisional or any(p.appraised_points is not None for p in points)
            out.append((_sum([p.self_points for p in points]), counted if shown else None))
        return out

    def _row(self, ws: Worksheet, row: int, s: Standing, first: int, last: int) -> None:
        w = self.w
        late = self._late(s)
        lines = max(w.lines_in(ws, 2, 2, s.unit.name),
                    w.lines_in(ws, self.late_col, self.late_col, late))
        ws.row_dimensions[row].height = max(LINE_POINTS * lines + 3, 18)
        w.body(ws, row, 2, s.unit.name)
        for (left, counted), (a, b) in zip(self.cols, self._cells(s), strict=True):
            w.body(ws, row, left, a, points=True)
            if counted is not None:
                w.body(ws, row, counted, b, points=True)
        if self.bonus_col:
            w.body(ws, row, self.bonus_col, None if s.unreported else s.bonus, points=True)
        if self.penalty_col:
            w.body(ws, row, self.penalty_col, None if s.unreported else s.penalty,
                   points=True)
        total = None if s.unreported else s.total
        tc = get_column_letter(self.total_col)
        w.formula(ws, row, self.total_col, self._total_formula(row), total, points=True,
                  bold=True)
        column = f"${tc}${first}:${tc}${last}"
        w.formula(ws, row, 1, f'IF({tc}{row}="",COUNT({column})+1,RANK({tc}{row},{column}))',
                  s.rank, align=CENTER)
        w.formula(ws, row, self.grade_col, self._grade_formula(f"{tc}{row}"),
                  grade_of(total, self.full_marks, self.grades), align=CENTER)
        w.body(ws, row, self.late_col, late, align=CENTER)
        w.body(ws, row, self.proposal_col, None)

    def _total_formula(self, row: int) -> str:
        def ref(col: int) -> str:
            return f"{get_column_letter(col)}{row}"

        parts = []
        for pair, (left, counted) in zip(self.pairs, self.cols, strict=True):
            if self.year:
                cell = ref(counted) if counted is not None else ref(left)
                parts.append(cell if pair.weight == ONE else f"{pair.weight}*{cell}")
            elif counted is None:
                parts.append(ref(left))
            else:
                parts.append(f'IF({ref(counted)}="",{ref(left)},{ref(counted)})')
        if self.bonus_col:
            parts.append(ref(self.bonus_col))
        sum_ = "+".join(parts) or "0"
        if self.penalty_col:
            sum_ += f"-{ref(self.penalty_col)}"
        span = f"{ref(3)}:{ref(self.total_col - 1)}"
        return f'IF(COUNT({span})=0,"",ROUND({sum_},2))'

    def _grade_formula(self, total: str) -> str:
        formula = '""'
        for grade in reversed(self.grades):
            name = grade.name.replace('"', '""')
            formula = f'IF({total}>={grade.points(self.full_marks)},"{name}",{formula})'
        return f'IF({total}="","",{formula})'

    def _late(self, s: Standing) -> str:
        t = self.w.t
        if s.unreported:
            return t("doc-score-late-unreported")
        names = {p.code: p.name for p in self.ranking.phases}
        parts = [names.get(code, code) for code in s.late]
        parts += [t("doc-score-late-missing", phase=names.get(code, code))
                  for code in s.missing]
        return ", ".join(parts) or t("doc-score-late-no")

    # -- what the sheet says about itself -------------------------------------------------
    def status(self) -> str:
        key = "doc-score-provisional" if self.ranking.provisional else "doc-score-final"
        return self.w.t(key, time=format_datetime(self.w.data.exported_at, self.w.tz))

    def notes(self, detail_sheet: str) -> list[str]:
        w, t = self.w, self.w.t
        out = []
        if not self.year and self.ranking.provisional and any(c[1] for c in self.cols):
            out.append(t("doc-score-note-appraisal"))
        if self.year:
            weights = "; ".join(t("doc-score-weight", phase=p.name,
                                  weight=w.number(self.ranking.weights[p.code]))
                                for p in self.ranking.phases)
            out.append(t("doc-score-note-year", weights=weights))
        out.append(t("doc-score-note-grades", grades=self._grades_text()))
        if any(s.unreported for s in self.ranking.standings):
            out.append(t("doc-score-note-unreported"))
        out.append(t("doc-score-note-formulas") + " " + t("doc-score-note-detail",
                                                          sheet=detail_sheet))
        return out

    def _grades_text(self) -> str:
        w, parts = self.w, []
        previous: Decimal | None = None
        for grade in self.grades:
            points = grade.points(self.full_marks)
            if points > 0 or previous is None:
                parts.append(w.t("doc-score-grade-from", grade=grade.name,
                                 points=w.number(points)))
            else:
                parts.append(w.t("doc-score-grade-below", grade=grade.name,
                                 points=w.number(previous)))
            previous = points
        return "; ".join(parts)


def phase_summary(w: SheetWriter, ranking: Ranking) -> str:
    phase = ranking.period.phase
    assert phase is not None
    return w.t("doc-score-phase", phase=phase.name, year=w.data.block.year,
               start=format_date(phase.start), end=format_date(phase.end))
