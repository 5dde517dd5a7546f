"""The checks on the file as a zip, before openpyxl sees it: each hostile file of issue 23
is refused for its own reason, and the bot's template passes."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from bot.services.report_excel.container import (
    MAX_ENTRIES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_WORKBOOK_BYTES,
    OLE_MAGIC,
    FileProblem,
    check_container,
)
from tests.report_excel.helpers import rezip, understated, zip_bomb, zip_of


@pytest.fixture
def xlsx(empty_template: bytes) -> bytes:
    return empty_template


def test_the_template_passes(xlsx: bytes) -> None:
    assert check_container(xlsx, "KTD6-2023-DOT1-BBT.xlsx") is None


@pytest.mark.parametrize(("data", "problem"), [
    (b"%PDF-1.4 not a workbook", FileProblem.NOT_XLSX),
    (b"", FileProblem.NOT_XLSX),
    (b"PK\x03\x04 truncated", FileProblem.NOT_XLSX),
    (OLE_MAGIC + b"\0" * 600, FileProblem.OLD_FORMAT),  # .xls, or an encrypted .xlsx
    (zip_of({"notes.txt": b"hello"}), FileProblem.NOT_WORKBOOK),  # a renamed .zip
    (zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
     FileProblem.NOT_WORKBOOK),  # a .docx
])
def test_what_is_not_a_workbook(data: bytes, problem: FileProblem) -> None:
    assert check_container(data, "bao-cao.xlsx") is problem


def test_over_two_megabytes(xlsx: bytes) -> None:
    assert check_container(xlsx + b"\0" * MAX_WORKBOOK_BYTES, "x.xlsx") is FileProblem.TOO_BIG


def test_a_zip_bomb_is_refused_from_its_directory_quickly(xlsx: bytes) -> None:
    bomb = zip_bomb(xlsx, MAX_UNCOMPRESSED_BYTES + 1)
    assert len(bomb) < MAX_WORKBOOK_BYTES  # small on the wire
    started = time.perf_counter()
    assert check_container(bomb, "x.xlsx") is FileProblem.ZIP_BOMB
    assert time.perf_counter() - started < 0.5


def test_a_zip_whose_headers_understate_the_size_is_caught(xlsx: bytes) -> None:
    lying = understated(xlsx, MAX_UNCOMPRESSED_BYTES)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("xl/zz.xml").file_size == 10
    # zipfile stops at the declared size and the CRC then fails: refused, not read whole.
    assert check_container(lying, "x.xlsx") in (FileProblem.NOT_XLSX, FileProblem.ZIP_BOMB)


def test_too_many_entries(xlsx: bytes) -> None:
    many = rezip(xlsx, add={f"xl/extra/{n}.xml": b"<a/>" for n in range(MAX_ENTRIES)})
    assert check_container(many, "x.xlsx") is FileProblem.ZIP_BOMB


def test_macros_by_name_and_by_content(xlsx: bytes) -> None:
    assert check_container(xlsx, "bao-cao.xlsm") is FileProblem.MACROS
    assert check_container(xlsx, "bao-cao.XLS") is FileProblem.OLD_FORMAT
    with_vba = rezip(xlsx, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert check_container(with_vba, "bao-cao.xlsx") is FileProblem.MACROS
    types = zipfile.ZipFile(io.BytesIO(xlsx)).read("[Content_Types].xml")
    renamed = rezip(xlsx, replace={"[Content_Types].xml": types.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")})
    assert check_container(renamed, "bao-cao.xlsx") is FileProblem.MACROS


def test_a_document_type_declaration_is_refused(xlsx: bytes) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b"<sst>&lol2;</sst>")
    bad = rezip(xlsx, replace={"xl/sharedStrings.xml": laughs})
    assert check_container(bad, "x.xlsx") is FileProblem.NOT_XLSX
    utf16 = rezip(xlsx, replace={"xl/styles.xml": "<a/>".encode("utf-16")})
    assert check_container(utf16, "x.xlsx") is FileProblem.NOT_XLSX


@pytest.mark.parametrize("kind", ["strings", "cells", "styles"])
def test_what_would_cost_openpyxl_minutes_is_counted_first(xlsx: bytes, kind: str) -> None:
    from bot.services.report_excel.container import ELEMENT_LIMITS
    from tests.report_excel.helpers import inflated

    limit = ELEMENT_LIMITS[kind]
    within = inflated(xlsx, **{kind: limit - 200})
    assert check_container(within, "x.xlsx") is None
    over = inflated(xlsx, **{kind: limit + 1})
    assert check_container(over, "x.xlsx") is FileProblem.TOO_COMPLEX
