"""LibreOffice's PDF export for tests: several files in one soffice run (a throwaway
profile each time), and the page count and sizes read straight from the PDF's objects."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

A4_POINTS = (595.3, 841.9)  # 210 x 297 mm
SOFFICE_TIMEOUT = 180
_OBJECT = re.compile(rb"\d+\s+0\s+obj(.*?)endobj", re.S)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_PAGES = re.compile(rb"/Type\s*/Pages")
_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.\s]+?)\s*\]")


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF checks need it "
                    "(.ci/run installs libreoffice-calc-nogui and libreoffice-writer-nogui)")
    return found


def convert(files: Sequence[Path], outdir: Path, to: str = "pdf") -> dict[str, Path]:
    """Convert every file in one soffice run; returns the results by the source's name.
    `to` "xlsx" makes LibreOffice compute every formula and store the values it found."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="soffice-profile-") as profile:
        subprocess.run(
            [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
            check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
    out = {}
    for source in files:
        result = outdir / f"{source.stem}.{to}"
        assert result.exists(), f"LibreOffice wrote no {to} for {source.name}"
        out[source.name] = result
    return out


def to_pdf(files: Sequence[Path], outdir: Path) -> dict[str, Path]:
    return convert(files, outdir, "pdf")


@dataclass(frozen=True)
class Page:
    width: float
    height: float

    @property
    def a4(self) -> bool:
        size = sorted((self.width, self.height))
        return abs(size[0] - A4_POINTS[0]) < 1 and abs(size[1] - A4_POINTS[1]) < 1

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def pages(pdf: Path) -> list[Page]:
    """Every page's MediaBox (its own, else the page tree's), in file order. LibreOffice
    writes plain page objects, not compressed object streams."""
    data = pdf.read_bytes()
    inherited: Page | None = None
    found: list[Page] = []
    for match in _OBJECT.finditer(data):
        body = match.group(1)
        box = _BOX.search(body)
        size = None
        if box:
            x0, y0, x1, y1 = (float(v) for v in box.group(1).split())
            size = Page(x1 - x0, y1 - y0)
        if _PAGES.search(body):
            inherited = size or inherited
        elif _PAGE.search(body):
            found.append(size or inherited or Page(0, 0))
    return found
