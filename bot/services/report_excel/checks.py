"""A filled template against the block as the database has it: whose template it is, and
what each cell holds. Pure functions.

Cells are judged by the rules of typed values (bot.services.values: parse_value and
check_figure, the same as for `CODE: value` lines); what is Excel's own is read here:
numbers stored as numbers (to the 15 significant digits Excel keeps), a percentage typed
with its sign into a percent cell (stored as 0.875 for 87,5%), TRUE/FALSE, formulas
through the value Excel last computed, errors such as #DIV/0!.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.services.report_excel import layout
from bot.services.report_excel.reading import Cell
from bot.services.values import (
    BadValue,
    GoodValue,
    Problem,
    canonical_decimal,
    check_figure,
    parse_value,
)
from storage.records import BlockTree, Criterion, Phase, Unit

FIGURE_KINDS = ("score", "number", "percent")
# Excel keeps 15 significant digits; a float's further digits are binary noise
# (0,1 + 0,2 computed as 0.30000000000000004).
EXCEL_DIGITS = 15
HUNDRED = Decimal(100)


class Mismatch(StrEnum):
    OTHER_BLOCK = "other-block"
    OTHER_UNIT = "other-unit"
    OTHER_PHASE = "other-phase"  # no such phase in this block (any more)
    TABLE_CHANGED = "table-changed"


class CellProblem(StrEnum):
    UNKNOWN_CODE = "unknown-code"
    REPEATED = "repeated"
    NO_CODE = "no-code"
    FORMULA_NO_VALUE = "formula-no-value"
    FORMULA_ERROR = "formula-error"


@dataclass(frozen=True)
class BadCell:
    address: str
    problem: CellProblem | None = None
    bad: BadValue | None = None
    criterion: Criterion | None = None
    code: str | None = None


@dataclass(frozen=True)
class GoodCell:
    address: str
    criterion: Criterion
    stored: str
    touched: bool  # differs from the criterion's value when the template was made


@dataclass(frozen=True)
class CheckedCells:
    good: tuple[GoodCell, ...]
    bad: tuple[BadCell, ...]


def template_phase(identity: layout.Identity, tree: BlockTree, unit: Unit) -> Phase | Mismatch:
    """The phase the template is for, if it is this block's and this unit's."""
    block = tree.block
    if identity.block_id != block.id or identity.block_code != block.code:
        return Mismatch.OTHER_BLOCK
    if identity.unit_id != unit.id or identity.unit_code != unit.code:
        return Mismatch.OTHER_UNIT
    phase = next((p for p in tree.phases
                  if p.id == identity.phase_id and p.code == identity.phase_code), None)
    return Mismatch.OTHER_PHASE if phase is None else phase


def table_changed(identity: layout.Identity, criteria: Sequence[Criterion]) -> bool:
    return identity.fingerprint != layout.fingerprint(criteria)


def _figure_of(value: int | float) -> Decimal | None:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(format(value, f".{EXCEL_DIGITS}g"))
    return Decimal(value)


def _text_value(criterion: Criterion, text: str, lang: str) -> GoodValue | BadValue:
    parsed = parse_value(criterion, text, lang)
    if (lang != "vi" and criterion.kind in FIGURE_KINDS and isinstance(parsed, BadValue)
            and parsed.problem is Problem.NOT_A_NUMBER):
        # Issue 23: figures typed the Vietnamese way into text cells ("1.833.468.000",
        # "87,5") are read as figures whatever the reader's language.
        again = parse_value(criterion, text, "vi")
        if isinstance(again, GoodValue):
            return again
    return parsed


def _not_this_kind(criterion: Criterion) -> BadValue:
    return BadValue(Problem.NOT_YESNO if criterion.kind == "yesno" else Problem.NOT_A_NUMBER)


def read_cell(criterion: Criterion, cell: Cell, lang: str
              ) -> GoodValue | BadValue | CellProblem | None:
    """The value to store, why not, or None for an empty cell (left as it is)."""
    value = cell.value
    if cell.error:
        return CellProblem.FORMULA_ERROR
    if value is None:
        return CellProblem.FORMULA_NO_VALUE if cell.formula else None
    if isinstance(value, bool):
        return parse_value(criterion, "yes" if value else "no", lang)
    if isinstance(value, int | float):
        figure = _figure_of(value)
        if figure is None:
            return _not_this_kind(criterion)
        if criterion.kind == "percent" and cell.percent_format:
            figure *= HUNDRED
        if criterion.kind in FIGURE_KINDS:
            return check_figure(criterion, figure)
        return parse_value(criterion, canonical_decimal(figure), lang)
    if isinstance(value, str):
        return _text_value(criterion, value, lang)
    if criterion.kind == "text" and isinstance(value, date | time | timedelta):
        return parse_value(criterion, str(value), lang)
    return _not_this_kind(criterion)  # a date in a figure's cell, or anything stranger


def check_cells(criteria: Sequence[Criterion], cells: Sequence[Cell],
                made_with: Mapping[str, str], lang: str) -> CheckedCells:
    """Every cell judged: good values (first row of a code wins), bad cells by address."""
    by_code = {c.code.upper(): c for c in criteria}
    seen: set[str] = set()
    good: list[GoodCell] = []
    bad: list[BadCell] = []
    for cell in cells:
        criterion = by_code.get(cell.code.upper()) if cell.code else None
        if cell.code is None:
            bad.append(BadCell(cell.address, CellProblem.NO_CODE))
            continue
        if criterion is None:
            bad.append(BadCell(cell.code_address, CellProblem.UNKNOWN_CODE, code=cell.code))
            continue
        if criterion.code in seen:
            bad.append(BadCell(cell.code_address, CellProblem.REPEATED, criterion=criterion,
                               code=criterion.code))
            continue
        seen.add(criterion.code)
        read = read_cell(criterion, cell, lang)
        if read is None:
            continue
        if isinstance(read, CellProblem):
            bad.append(BadCell(cell.address, read, criterion=criterion, code=criterion.code))
        elif isinstance(read, BadValue):
            bad.append(BadCell(cell.address, bad=read, criterion=criterion,
                               code=criterion.code))
        else:
            touched = made_with.get(criterion.code) != read.stored
            good.append(GoodCell(cell.address, criterion, read.stored, touched))
    return CheckedCells(tuple(good), tuple(bad))
