"""The template workbook `<BLOCK>-<PHASE>-<UNIT>.xlsx` (openpyxl; blocking: run it in a
thread). One row per criterion with what the unit needs to fill it in, the value column the
only unlocked one, a data validation per criterion's kind, headers and instructions in the
reader's language, the header row frozen, widths and page set up for printing, and the
hidden identity sheet (layout.py)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents.xlsx import new_workbook, print_setup, use_font
from bot.exports.xlsx import save_workbook, sheet_title
from bot.formatting import format_deadline, format_points
from bot.services.report_excel import layout
from bot.services.reports.entry import ReportView
from bot.services.scoring import NO, YES, effective_target
from bot.services.values import MAX_TEXT_UNITS
from bot.texts import Catalog
from storage.records import Criterion

# Printed widths (characters) of the columns in layout.COLUMNS: the title and the value
# get the room, A4 landscape holds them all on one page wide.
WIDTHS = (18, 20, 46, 30, 11, 15, 9, 30)
# Spreadsheet programs do not grow a row for wrapped text written by openpyxl: each row
# gets the height of its longest wrapped cell, estimated (points per line of 12 pt text).
LINE_POINTS = 15
MAX_LINES = 20  # a long narrative scrolls inside its cell beyond this
# Excel's limits on a data validation's messages: titles 32 characters, texts 255.
PROMPT_TITLE_MAX = 32
PROMPT_MAX = 255
# Data validation of a number: below the bot's own limit on figures (bot.formatting).
NUMBER_CEILING = "999999999999999"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
VALUE_FILL = PatternFill("solid", fgColor="FFF2CC")  # where to type, as forms shade it
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")

T = Callable[..., str]


def file_name(view: ReportView) -> str:
    parts = (view.tree.block.code, view.phase.code, view.unit.code)
    return "-".join(_SAFE.sub("_", p) for p in parts) + ".xlsx"


def _clean(text: str) -> str:
    """What openpyxl can write: the control characters XML forbids are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _figure(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def shown_value(t: T, criterion: Criterion, stored: str | None) -> Any:
    """A stored value as the cell holds it: a number, «Có»/«Không», or the text."""
    if stored is None:
        return None
    if criterion.kind == "yesno":
        return t("report-excel-yes") if stored == YES else (
            t("report-excel-no") if stored == NO else stored)
    if criterion.kind == "text":
        return _clean(stored)
    try:
        return _figure(Decimal(stored))
    except ArithmeticError:
        return stored


def how_scored(t: T, c: Criterion, lang: str) -> str:
    points = format_points(c.max_points, lang)
    if c.bonus or c.penalty:
        return t("report-excel-how-bonus" if c.bonus else "report-excel-how-penalty",
                 max=points)
    return t(f"report-excel-how-{c.kind}", max=points, chars=format_points(MAX_TEXT_UNITS,
                                                                           lang))


def _validation(t: T, c: Criterion, lang: str) -> DataValidation:
    points = format_points(c.max_points, lang)
    key = f"report-excel-valid-{c.kind}"
    if c.kind == "score":
        dv = DataValidation(type="decimal", operator="between", formula1="0",
                            formula2=format(c.max_points.normalize(), "f"))
    elif c.kind == "number":
        dv = DataValidation(type="decimal", operator="between", formula1="0",
                            formula2=NUMBER_CEILING)
    elif c.kind == "percent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    elif c.kind == "yesno":
        items = ",".join((t("report-excel-yes"), t("report-excel-no")))
        dv = DataValidation(type="list", formula1=f'"{items}"')
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual",
                            formula1=str(MAX_TEXT_UNITS))
    dv.allow_blank = True
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = t("report-excel-valid-title")[:PROMPT_TITLE_MAX]
    dv.error = dv.prompt = t(key, max=points, chars=format_points(MAX_TEXT_UNITS, lang)
                             )[:PROMPT_MAX]
    dv.promptTitle = c.code[:PROMPT_TITLE_MAX]
    return dv


def _lines(cells: Sequence[Any]) -> int:
    """The lines the row's longest wrapped cell takes at the printed widths (a Times New
    Roman letter is about 0.9 of a width unit)."""
    lines = 1
    for content, width in zip(cells, WIDTHS, strict=True):
        parts = str(content if content is not None else "").split("\n")
        lines = max(lines, sum(max(1, math.ceil(len(p) * 0.9 / (width - 1))) for p in parts))
    return min(lines, MAX_LINES)


def _head(ws: Worksheet, t: T, view: ReportView, lang: str) -> None:
    block, tz = view.tree.block, view.tree.block.tz
    last = get_column_letter(len(layout.COLUMNS))
    lines = {
        layout.TITLE_ROW: (t("report-excel-sheet-title", phase=view.phase.name),
                           Font(bold=True, size=14)),
        layout.UNIT_ROW: (t("report-excel-sheet-unit", unit=view.unit.name,
                            code=view.unit.code, block=block.name,
                            due=format_deadline(view.phase.report_due, tz, lang)),
                          Font(bold=True)),
        layout.HELP_ROW: (t("report-excel-sheet-help",
                            column=t("report-excel-col-value"), letter=layout.VALUE_LETTER),
                          Font(italic=True)),
    }
    for row, (text, font) in lines.items():
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[layout.TITLE_ROW].height = 24
    ws.row_dimensions[layout.HELP_ROW].height = 48
    ws.row_dimensions[layout.HEADER_ROW].height = 32
    for col, name in enumerate(layout.COLUMNS, start=1):
        cell = ws.cell(row=layout.HEADER_ROW, column=col, value=t(f"report-excel-col-{name}"))
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]


def _criteria(ws: Worksheet, t: T, view: ReportView, lang: str) -> None:
    validations: dict[tuple[str, Decimal], DataValidation] = {}
    for row, c in enumerate(view.criteria, start=layout.FIRST_ROW):
        target = effective_target(c, view.targets.get(c.code)) \
            if c.kind in ("number", "percent") else None
        value = view.values.get(c.id)
        cells = (c.group_name or "", c.code, c.title, how_scored(t, c, lang),
                 c.measure or ("%" if c.kind == "percent" else ""),
                 None if target is None else _figure(target), _figure(c.max_points),
                 shown_value(t, c, value.self_value if value else None))
        ws.row_dimensions[row].height = LINE_POINTS * _lines(cells)
        for col, content in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=col, value=content)
            cell.border, cell.alignment = BOX, WRAP
            if col in (6, 7):
                cell.number_format = "#,##0.##" if isinstance(content, Decimal) else "#,##0"
        entry = ws.cell(row=row, column=layout.VALUE_COL)
        entry.protection = Protection(locked=False)
        entry.fill = VALUE_FILL
        entry.number_format = "@" if c.kind == "text" else "General"
        key = (c.kind, c.max_points)
        if key not in validations:
            validations[key] = _validation(t, c, lang)
            ws.add_data_validation(validations[key])
        validations[key].add(entry)


def _identity_sheet(wb: Workbook, identity: layout.Identity) -> None:
    ws = wb.create_sheet(layout.IDENTITY_SHEET)
    for values in layout.identity_rows(identity):
        ws.append([_clean(v) for v in values])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def identity_of(view: ReportView, made_at: datetime) -> layout.Identity:
    return layout.Identity(
        block_code=view.tree.block.code, block_id=view.tree.block.id,
        phase_code=view.phase.code, phase_id=view.phase.id,
        unit_code=view.unit.code, unit_id=view.unit.id,
        fingerprint=layout.fingerprint(view.criteria),
        made_at=made_at.astimezone(view.tree.block.tz).isoformat(timespec="seconds"),
        values={c.code: v.self_value for c in view.criteria
                if (v := view.values.get(c.id)) is not None and v.self_value is not None},
    )


def template_bytes(view: ReportView, texts: Catalog, lang: str, made_at: datetime) -> bytes:
    """The unit's template for the view's phase, filled with its current values."""

    def t(key: str, **params: Any) -> str:
        return texts.plain(lang, key, **params)

    wb = new_workbook()
    ws = wb.create_sheet(sheet_title(t("report-excel-sheet-name")))
    _head(ws, t, view, lang)
    _criteria(ws, t, view, lang)
    ws.freeze_panes = ws.cell(row=layout.FIRST_ROW, column=1)
    print_setup(ws, landscape=True, title_rows=(layout.HEADER_ROW, layout.HEADER_ROW),
                footer="&P/&N")
    use_font(ws)
    # Only the value cells are unlocked; widening columns and rows stays allowed, so long
    # answers can be read. The protection guides: the bot checks every cell it reads.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _identity_sheet(wb, identity_of(view, made_at))
    wb.security = WorkbookProtection(lockStructure=True)  # no sheets added or unhidden
    wb.active = 0
    out = io.BytesIO()
    save_workbook(wb, out)
    return out.getvalue()
