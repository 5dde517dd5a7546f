"""Reading the exported workbooks back as a reader would: the table under the head, by
column title, with the cached values (what a program that does not compute shows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class Table:
    top: int  # the first header row
    header: list[Any]  # the first header row's titles (merged cells: None after the first)
    sub: list[Any]  # the second header row
    rows: list[list[Any]]  # one per unit, in rank order

    def column(self, title: str) -> int:
        """0-based index of the column whose title starts with `title`."""
        return next(i for i, h in enumerate(self.header) if str(h or "").startswith(title))

    def by_unit(self, title: str) -> dict[str, Any]:
        col = self.column(title)
        return {r[1]: r[col] for r in self.rows}


def main_table(ws: Worksheet, first: str = "Xếp hạng") -> Table:
    """The table of a phase or year sheet: header rows start at the cell `first` in A."""
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(values) if r and r[0] == first)
    rows = []
    for r in values[top + 2:]:
        if not isinstance(r[0], int):
            break
        rows.append(r)
    return Table(top + 1, values[top], values[top + 1], rows)


def texts_of(ws: Worksheet) -> list[str]:
    return [str(c) for r in ws.iter_rows(values_only=True) for c in r if c is not None]
