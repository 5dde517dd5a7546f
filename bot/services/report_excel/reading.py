"""A filled template read into plain cells (openpyxl in read-only mode; blocking: run it in
a thread, after container.check_container accepted the file).

The workbook is opened twice, both times read-only: once for the values Excel last
computed (data_only), once to know which cells hold a formula. The bot never evaluates a
formula: a formula cell is read through its cached value, and one without is refused by
address (checks.py). At most MAX_ROWS + 1 rows of any sheet are read, so a sheet claiming
a million rows costs no more than one of five hundred.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from openpyxl import load_workbook

from bot.services.report_excel import layout

log = logging.getLogger(__name__)

# Issue 23: a workbook of over 500 rows is refused (a template is a few dozen).
MAX_ROWS = 500


class SheetProblem(StrEnum):
    UNREADABLE = "unreadable"  # openpyxl could not read it as a workbook
    NOT_TEMPLATE = "not-template"  # no identity sheet of ours (any other workbook)
    EXTRA_SHEETS = "extra-sheets"
    TOO_MANY_ROWS = "too-many-rows"


@dataclass(frozen=True)
class Cell:
    """A row of the report sheet: its criterion code and its value cell."""

    row: int
    code: str | None
    value: Any  # what the cell shows: typed, or the formula's cached result; None if empty
    formula: bool = False
    error: bool = False  # an Excel error value such as #DIV/0!
    percent_format: bool = False  # "87,5%" typed into a cell Excel stores as 0.875

    @property
    def address(self) -> str:
        return f"{layout.VALUE_LETTER}{self.row}"

    @property
    def code_address(self) -> str:
        return f"{layout.CODE_LETTER}{self.row}"


@dataclass(frozen=True)
class FilledTemplate:
    identity: layout.Identity
    cells: tuple[Cell, ...]
    sheet: str  # the report sheet's title, as the unit's program saved it


def _rows(ws: Any, max_col: int) -> list[tuple[Any, ...]] | None:
    rows = list(ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=max_col))
    return None if len(rows) > MAX_ROWS else rows


def _value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _code(cell: Any) -> str | None:
    value = _value(cell)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _cells(values: list[tuple[Any, ...]], formulas: list[tuple[Any, ...]],
           first_row: int) -> Iterator[Cell]:
    width = layout.VALUE_COL
    for number, (shown, written) in enumerate(zip(values, formulas, strict=False), start=1):
        if number < first_row:
            continue
        shown = (*shown, *((None,) * width))[:width]
        written = (*written, *((None,) * width))[:width]
        code = _code(shown[layout.CODE_COL - 1])
        cell, source = shown[layout.VALUE_COL - 1], written[layout.VALUE_COL - 1]
        value = _value(cell)
        formula = getattr(source, "data_type", None) == "f"
        if code is None and value is None and not formula:
            continue
        yield Cell(
            row=number, code=code, value=value, formula=formula,
            error=getattr(cell, "data_type", None) == "e",
            percent_format="%" in str(getattr(cell, "number_format", "") or ""),
        )


def _open(data: bytes, *, data_only: bool) -> Any:
    return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only,
                         keep_links=False, keep_vba=False)


def read_template(data: bytes) -> FilledTemplate | SheetProblem:
    """The identity and the filled cells of a template, or why the file is not one."""
    try:
        shown_wb = _open(data, data_only=True)
    except Exception as exc:  # hostile input: any failure of the reader is a refusal
        log.info("workbook not readable: %s", type(exc).__name__)
        return SheetProblem.UNREADABLE
    try:
        written_wb = _open(data, data_only=False)
    except Exception as exc:
        shown_wb.close()
        log.info("workbook not readable: %s", type(exc).__name__)
        return SheetProblem.UNREADABLE
    try:
        return _read(shown_wb, written_wb)
    except Exception as exc:
        log.info("workbook not readable: %s", type(exc).__name__)
        return SheetProblem.UNREADABLE
    finally:
        shown_wb.close()
        written_wb.close()


def _read(shown_wb: Any, written_wb: Any) -> FilledTemplate | SheetProblem:
    names = list(shown_wb.sheetnames)
    if layout.IDENTITY_SHEET not in names:
        return SheetProblem.NOT_TEMPLATE
    if len(names) != 2:
        return SheetProblem.EXTRA_SHEETS
    rows = _rows(shown_wb[layout.IDENTITY_SHEET], 3)
    if rows is None:
        return SheetProblem.TOO_MANY_ROWS
    identity = layout.parse_identity([tuple(_value(c) for c in row) for row in rows])
    if identity is None or not 1 < identity.first_row <= MAX_ROWS:
        return SheetProblem.NOT_TEMPLATE
    sheet = next(n for n in names if n != layout.IDENTITY_SHEET)
    values = _rows(shown_wb[sheet], layout.VALUE_COL)
    formulas = _rows(written_wb[sheet], layout.VALUE_COL)
    if values is None or formulas is None:
        return SheetProblem.TOO_MANY_ROWS
    cells = tuple(_cells(values, formulas, identity.first_row))
    return FilledTemplate(identity, cells, sheet)

