"""Workbooks for the tests, built with openpyxl as a unit's spreadsheet program would leave
them: the bot's template filled in, and the hostile files of issue 23."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook, load_workbook

from bot.services.report_excel import layout

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_sheet(wb: Workbook) -> Any:
    return next(ws for ws in wb.worksheets if ws.title != layout.IDENTITY_SHEET)


def row_of(ws: Any, code: str) -> int:
    for row in range(layout.FIRST_ROW, ws.max_row + 1):
        if ws.cell(row=row, column=layout.CODE_COL).value == code:
            return row
    raise AssertionError(f"no row for {code}")


def fill(template: bytes, values: Mapping[str, Any], *, cached: Mapping[str, Any] | None = None,
         edit: Any = None) -> bytes:
    """The template with the value cells of `values` (criterion code -> cell content; a
    string starting with "=" is a formula) typed in, as openpyxl saves it (formulas without
    a cached value). `edit(wb)` may change anything else before saving."""
    wb = load_workbook(io.BytesIO(template))
    ws = report_sheet(wb)
    for code, value in values.items():
        ws.cell(row=row_of(ws, code), column=layout.VALUE_COL, value=value)
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    return with_cached(data, ws.title, cached) if cached else data


def with_cached(data: bytes, sheet_title: str, cached: Mapping[str, Any]) -> bytes:
    """Give formula cells the value Excel would have computed and saved beside them
    (`<f>…</f><v>…</v>`), which openpyxl itself never writes. `cached`: address -> value."""
    wb = load_workbook(io.BytesIO(data))
    index = wb.sheetnames.index(sheet_title) + 1
    path = f"xl/worksheets/sheet{index}.xml"
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read(path).decode()
    for address, value in cached.items():
        start = xml.index(f'<c r="{address}"')
        end = xml.index("</c>", start)
        cell = xml[start:end]
        assert "<f>" in cell, f"{address} holds no formula"
        cell = cell.replace("<v></v>", "").replace("<v/>", "") + f"<v>{value}</v>"
        xml = xml[:start] + cell + xml[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == path else source.read(item))
    return out.getvalue()


def zip_of(parts: Mapping[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def rezip(data: bytes, *, add: Mapping[str, bytes] | None = None,
          replace: Mapping[str, bytes] | None = None) -> bytes:
    """The same workbook with parts added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: source.read(i) for i in source.infolist()}
    parts.update(replace or {})
    parts.update(add or {})
    return zip_of(parts)


def zip_bomb(template: bytes, size: int) -> bytes:
    """The template with one more part of `size` zero bytes (it compresses ~1000:1)."""
    return rezip(template, add={"xl/media/padding.bin": b"\0" * size})


def understated(template: bytes, real: int) -> bytes:
    """A part whose zip headers claim 10 bytes but which decompresses to `real`: the
    declared sizes alone do not catch it."""
    name = b"xl/zz.xml"
    data = bytearray(rezip(template, add={name.decode(): b"<a>" + b" " * real + b"</a>"}))
    # (signature, offset of the uncompressed size, of the name's length, header length)
    for signature, size_at, name_len_at, header in ((b"PK\x01\x02", 24, 28, 46),
                                                    (b"PK\x03\x04", 22, 26, 30)):
        pos = 0
        while (pos := data.find(signature, pos)) != -1:
            length = int.from_bytes(data[pos + name_len_at:pos + name_len_at + 2], "little")
            if data[pos + header:pos + header + length] == name:
                data[pos + size_at:pos + size_at + 4] = (10).to_bytes(4, "little")
            pos += 4
    return bytes(data)


def plain_workbook(*sheets: str) -> bytes:
    wb = Workbook()
    wb.active.title = sheets[0] if sheets else "Sheet"
    for title in sheets[1:]:
        wb.create_sheet(title)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def inflated(template: bytes, *, strings: int = 0, cells: int = 0, styles: int = 0,
             prefix: str = "") -> bytes:
    """The template with many tiny elements of one kind, each costing openpyxl an object:
    `strings` shared strings, `cells` cells in the first criterion row, `styles` cell
    formats; `prefix` writes the cells with a namespace prefix ("x:"), as some generators
    do."""
    source = zipfile.ZipFile(io.BytesIO(template))
    parts = {i.filename: source.read(i) for i in source.infolist()}
    if strings:
        main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="'
                                         + main + b'">' + b"".join(
                                             b"<si><t>s%d</t></si>" % n for n in range(strings))
                                         + b"</sst>")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
            b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>")
    if cells:
        sheet = parts["xl/worksheets/sheet1.xml"]
        at = sheet.index(b">", sheet.index(b'<row r="5"')) + 1
        tag = prefix.encode() + b"c"
        many = b"".join(b'<%s r="Z%d"><v>1</v></%s>' % (tag, n, tag) for n in range(cells))
        parts["xl/worksheets/sheet1.xml"] = sheet[:at] + many + sheet[at:]
    if styles:
        css = parts["xl/styles.xml"]
        at = css.index(b">", css.index(b"<cellXfs")) + 1
        parts["xl/styles.xml"] = (css[:at] + b'<xf numFmtId="0" fontId="0" fillId="0" '
                                  b'borderId="0"/>' * styles + css[at:])
    return zip_of(parts)
