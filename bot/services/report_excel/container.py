"""The file as a zip, checked before openpyxl opens it: what a hostile or mistaken upload
is refused for (issue 23). Blocking (it decompresses): run it in a thread.

- not a zip at all (a PDF, a picture renamed .xlsx), or an old .xls / a workbook with a
  password to open (both are OLE files, not zips);
- a zip that is not a workbook (a renamed .zip, a .docx);
- a zip bomb: too many entries, or more bytes once decompressed than any template comes
  to. Every entry is decompressed here, counting the bytes that really come out, so a size
  the zip's directory understates is caught too (zipfile stops at the declared size and
  the CRC then fails);
- macros (.xlsm, a vbaProject part) or a binary workbook (.xlsb);
- an XML part with a document type declaration: no Office program writes one, and it is
  what entity-expansion attacks ("billion laughs") need;
- more cells, shared strings or styles than any template holds: openpyxl builds an object
  for each (some 30-160 µs apiece, twice, as reading.py opens the workbook twice), so a
  small file of a million tiny elements would hold up the bot for minutes. They are
  counted in the same pass, by their tags.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

# Issue 23: "over 2 MB" is refused. Well under the 20 MB Telegram lets a bot download
# (bot.services.reports.evidence.MAX_EVIDENCE_BYTES).
MAX_WORKBOOK_BYTES = 2 * 1024 * 1024
# A filled template of forty criteria with 3,000-character answers is under 1 MB of XML;
# ten times the largest file accepted leaves room for any program's styles and nothing
# for a bomb.
MAX_UNCOMPRESSED_BYTES = 10 * MAX_WORKBOOK_BYTES
# Excel writes some fifteen parts, LibreOffice about as many.
MAX_ENTRIES = 200
# What openpyxl turns into objects, by tag, with or without a namespace prefix (counted in
# every part: these local names mean nothing else in an Office file). A template of the
# largest sheet read (500 rows, reading.MAX_ROWS, of 8 columns) has 4,000 cells; the
# example block's, saved by LibreOffice, 121 cells, 61 strings, some 90 style entries.
ELEMENT_LIMITS = {"cells": 6000, "strings": 2000, "styles": 2000, "names": 200}
_KIND = {b"c": "cells", b"si": "strings", b"definedName": "names",
         **{name: "styles" for name in (b"xf", b"font", b"fill", b"border", b"numFmt",
                                        b"dxf")}}
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(" + b"|".join(_KIND) + rb")[\s/>]")
CHUNK = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")
_MACRO_MARKS = (b"macroEnabled", b"vbaProject", b"sheet.binary")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileProblem(StrEnum):
    TOO_BIG = "too-big"
    NOT_XLSX = "not-xlsx"
    OLD_FORMAT = "old-format"  # .xls, or a workbook encrypted with a password to open
    NOT_WORKBOOK = "not-workbook"  # a zip, but not an Excel workbook
    ZIP_BOMB = "zip-bomb"
    TOO_COMPLEX = "too-complex"  # far more cells, strings or styles than a template has
    MACROS = "macros"


def name_problem(file_name: str | None) -> FileProblem | None:
    """What the name alone says: .xlsm carries macros, .xls and .xlsb are not read."""
    name = (file_name or "").lower()
    if name.endswith((".xlsm", ".xltm")):
        return FileProblem.MACROS
    if name.endswith((".xls", ".xlsb")):
        return FileProblem.OLD_FORMAT
    return None


@dataclass
class _Scan:
    """What the parts read so far decompressed to, and the tags counted in them."""

    left: int = MAX_UNCOMPRESSED_BYTES
    declares: bool = False
    counts: Counter[str] = field(default_factory=Counter)

    def problem(self) -> FileProblem | None:
        if self.left < 0:
            return FileProblem.ZIP_BOMB
        if self.declares:
            return FileProblem.NOT_XLSX
        if any(self.counts[kind] > limit for kind, limit in ELEMENT_LIMITS.items()):
            return FileProblem.TOO_COMPLEX
        return None

    def count(self, text: bytes) -> Counter[str]:
        return Counter(_KIND[name] for name in _TAG.findall(text))


# Longer than any tag or declaration looked for, so one cut in two by a chunk's end is
# found in the window joining the chunks.
TAIL = 64


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> None:
    """Decompress one entry, counting what really comes out against what is left, and,
    in an XML part, looking for declarations and counting tags (those wholly inside the
    tail were counted with the chunk before)."""
    xml = info.filename.endswith((".xml", ".rels", ".vml"))
    tail = b""
    with archive.open(info) as part:
        first = True
        while chunk := part.read(CHUNK):
            scan.left -= len(chunk)
            if scan.left < 0:
                return
            if xml:
                if first and chunk.startswith(_UTF16_BOMS):
                    scan.declares = True  # Office writes UTF-8; UTF-16 would hide a DTD
                window = tail + chunk
                scan.declares = scan.declares or any(m in window for m in _DECLARATIONS)
                scan.counts.update(scan.count(window))
                scan.counts.subtract(scan.count(tail))
                tail = window[-TAIL:]
                if scan.problem() is not None:
                    return
            first = False


def check_container(data: bytes, file_name: str | None = None) -> FileProblem | None:
    """None when `data` is a plain .xlsx openpyxl may open, else why not."""
    if len(data) > MAX_WORKBOOK_BYTES:
        return FileProblem.TOO_BIG
    named = name_problem(file_name)
    if named is not None:
        return named
    if data.startswith(OLE_MAGIC):
        return FileProblem.OLD_FORMAT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            ValueError, OSError):
        # Not a zip, a corrupt one, an unknown compression method, a CRC that fails.
        return FileProblem.NOT_XLSX


def _check_archive(archive: zipfile.ZipFile) -> FileProblem | None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        return FileProblem.ZIP_BOMB
    if sum(i.file_size for i in entries) > MAX_UNCOMPRESSED_BYTES:
        return FileProblem.ZIP_BOMB
    names = {i.filename for i in entries}
    if any(i.flag_bits & 0x1 for i in entries):  # encrypted entries
        return FileProblem.NOT_XLSX
    if not all(name in names for name in REQUIRED):
        return FileProblem.NOT_WORKBOOK
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return FileProblem.MACROS
    scan = _Scan()
    for info in entries:
        _scan(archive, info, scan)
        problem = scan.problem()
        if problem is not None:
            return problem
    with archive.open("[Content_Types].xml") as types:
        content_types = types.read(MAX_UNCOMPRESSED_BYTES)
    if any(mark in content_types for mark in _MACRO_MARKS):
        return FileProblem.MACROS
    return None
