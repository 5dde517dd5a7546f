"""The workbooks printed by LibreOffice (where installed): every page A4, each phase's and
the year's main sheet on one landscape page for 9 and for 15 units, the detail landscape,
the signing list on at most two portrait pages; and LibreOffice's own computation of the
totals, ranks and grades (from the formulas alone, no cached values) gives the bot's
figures. Two soffice runs in all: one prints every file, one recomputes the main sheets."""

from __future__ import annotations

import asyncio
import io
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from bot.exports.covenant import covenant_workbook
from bot.exports.ranking import build
from bot.exports.xlsx import neutralise_formulas, workbook_content
from bot.services.ranking.export import ExportData, load_export
from tests.documents.pdf import Page, convert, pages, soffice
from tests.exports.builders import NOW, fifteen_units, signing
from tests.exports.read import main_table
from tests.ranking.test_service import two_reports
from tests.reports.conftest import World, local

MAIN_SHEETS = ("Đợt 1", "Đợt 2", "Cả năm 2023")


def _subset(content: bytes, path: Path, keep: tuple[str, ...]) -> Path:
    """A copy with only the sheets in `keep`, to count their pages (openpyxl drops the
    cached values: LibreOffice computes the formulas)."""
    wb = load_workbook(io.BytesIO(content))
    for name in [n for n in wb.sheetnames if n not in keep]:
        wb.remove(wb[name])
    wb.save(path)
    return path


def _files(data: ExportData, folder: Path, stem: str) -> list[Path]:
    """The workbook as sent, its three main sheets alone, its signatures sheet alone."""
    wb, w = build(data)
    content = workbook_content(wb, w.formulas)
    whole = folder / f"{stem}.xlsx"
    whole.write_bytes(content)
    return [whole, _subset(content, folder / f"{stem}-main.xlsx", MAIN_SHEETS),
            _subset(content, folder / f"{stem}-signatures.xlsx", ("Danh sách ký kết",))]


def _sizes(found: list[Page]) -> str:
    return ", ".join(f"{p.width:.0f}x{p.height:.0f}" for p in found)


def _figures(ws: object, grades: bool = False) -> dict[str, tuple[object, ...]]:
    """Unit -> (rank, total rounded to the cent, grade), "" and None alike."""
    table = main_table(ws)  # type: ignore[arg-type]
    total, grade = table.column("Tổng điểm"), table.column("Xếp loại")
    return {r[1]: (r[0], None if r[total] in (None, "") else
                   Decimal(str(r[total])).quantize(Decimal("0.01")), r[grade] or None)
            for r in table.rows}


async def test_printed_pages_and_libreoffices_own_totals(world: World, tmp_path: Path) -> None:
    soffice()  # skips, saying why, when LibreOffice is not installed
    await two_reports(world)
    world.clock.set(local(2023, 12, 1, 9, 0))
    example = await load_export(world.db, world.block, world.clock.now())
    big = fifteen_units()
    src = tmp_path / "src"
    src.mkdir()
    files = _files(example, src, "example") + _files(big, src, "fifteen")
    record = src / "record.xlsx"
    record.write_bytes(workbook_content(covenant_workbook(signing(), now=NOW)))
    files += [record, _subset(record.read_bytes(), src / "record-list.xlsx",
                              ("Danh sách ký kết",))]

    pdfs = await asyncio.to_thread(convert, files, tmp_path / "pdf")
    found = {name.removesuffix(".xlsx"): pages(path) for name, path in pdfs.items()}
    for name, got in found.items():
        assert got and all(p.a4 for p in got), (name, _sizes(got))
    for stem in ("example", "fifteen"):
        main = found[f"{stem}-main"]  # each main sheet on one landscape page
        assert len(main) == 3 and all(p.landscape for p in main), (stem, _sizes(main))
        signatures = found[f"{stem}-signatures"]
        assert len(signatures) == 1 and not signatures[0].landscape, stem
        # the workbook as sent prints the same: the main sheets, the detail's pages
        # (landscape), then the signatures (portrait)
        whole = found[stem]
        assert whole[:3] == main, stem
        detail = whole[3:whole.index(signatures[0], 3)]
        assert detail and all(p.landscape for p in detail), stem
    listing = found["record-list"]
    assert len(listing) <= 2 and not any(p.landscape for p in listing)
    assert found["record"][:len(listing)] == listing  # then the text, landscape
    assert all(p.landscape for p in found["record"][len(listing):])

    # LibreOffice computes the formulas itself, from a copy without any cached value
    wb, w = build(big)
    neutralise_formulas(wb, w.formulas)
    bare = tmp_path / "bare" / "fifteen.xlsx"
    bare.parent.mkdir()
    wb.save(bare)
    computed = await asyncio.to_thread(convert, [bare], tmp_path / "calc", "xlsx")
    theirs = load_workbook(computed[bare.name], data_only=True)
    ours = load_workbook(src / "fifteen.xlsx", data_only=True)  # the cached values
    for ranking, sheet in [*zip(big.phases, MAIN_SHEETS[:2], strict=True),
                           (big.year, MAIN_SHEETS[2])]:
        expected = _figures(ours[sheet])
        assert {k: v[:2] for k, v in expected.items()} == {
            s.unit.name: (s.rank, None if s.unreported else s.total)
            for s in ranking.standings}, sheet
        assert _figures(theirs[sheet]) == expected, sheet
