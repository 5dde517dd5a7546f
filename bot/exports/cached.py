"""Formulas the export writes itself, with their cached values.

The scoring table's totals, ranks and grades are formulas over the sheet's own cells, so
an edit by the provincial office recomputes them. A reader that does not compute (a
phone's preview, a mail client, a script reading the file) shows a formula cell's cached
value, and openpyxl writes formulas without one. So the writer records each formula with
the value the bot computed, and once openpyxl has saved the file this module writes those
values into the cells' `<v>` elements (the OOXML place for them, ECMA-376 §18.3.1.4),
finding each sheet's part through the workbook's relationships as the standard says.

Only recorded cells are touched, and only they stay formulas: `save_workbook` turns every
other formula-looking cell into text (units type free text; see neutralise_formulas).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl.worksheet.worksheet import Worksheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
Cached = Decimal | int | str


@dataclass
class FormulaCells:
    """Our own formulas, by sheet title and cell ("K7"), with the value each gives."""

    cells: dict[tuple[str, str], tuple[str, Cached]] = field(default_factory=dict)

    def put(self, ws: Worksheet, row: int, col: int, formula: str, cached: Cached) -> None:
        cell = ws.cell(row=row, column=col, value="=" + formula.removeprefix("="))
        self.cells[(ws.title, cell.coordinate)] = (cell.value, cached)

    def keeps(self, ws: Worksheet, coordinate: str) -> bool:
        """True when the cell holds the formula recorded for it (nothing overwrote it)."""
        found = self.cells.get((ws.title, coordinate))
        return found is not None and ws[coordinate].value == found[0]


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> the part holding it ("xl/worksheets/sheet1.xml")."""
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts[sheet.get("name", "")] = path
    return parts


def _value(cached: Cached) -> tuple[str, str]:
    """(the cell's type attribute, the text of <v>)."""
    if isinstance(cached, str):
        return ' t="str"', escape(cached)
    return "", format(Decimal(cached).normalize(), "f")


def _fill(xml: str, cells: dict[str, Cached]) -> str:
    def replace(match: re.Match[str]) -> str:
        ref, attrs, formula = match.group(1), match.group(2), match.group(3)
        if ref not in cells:
            return match.group(0)
        kind, text = _value(cells[ref])
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        return f'<c r="{ref}"{attrs}{kind}><f>{formula}</f><v>{text}</v></c>'

    # openpyxl writes a formula cell as <c r=".." s=".."><f>…</f><v></v></c> (or <v/>).
    return re.sub(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v>[^<]*</v>)?</c>',
                  replace, xml)


def with_cached_values(content: bytes, formulas: FormulaCells) -> bytes:
    """The saved workbook with every recorded formula's cached value written in."""
    by_sheet: dict[str, dict[str, Cached]] = {}
    for (title, ref), (_, cached) in formulas.cells.items():
        by_sheet.setdefault(title, {})[ref] = cached
    source = zipfile.ZipFile(io.BytesIO(content))
    parts = {part: by_sheet[title] for title, part in _sheet_parts(source).items()
             if title in by_sheet}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in parts:
                data = _fill(data.decode("utf-8"), parts[item.filename]).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()
