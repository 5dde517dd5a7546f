"""Issue 23's hostile files through the use case: each one gets its own refusal, nothing is
saved, and the refusal is audited (`report.excel.<reason>`, with the file's SHA-256)."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.services.report_excel import layout
from bot.services.report_excel.container import MAX_UNCOMPRESSED_BYTES, MAX_WORKBOOK_BYTES
from bot.services.report_excel.reading import MAX_ROWS
from bot.services.report_excel.upload import Upload
from storage import audit as audit_repo
from tests.report_excel.helpers import (
    fill,
    inflated,
    plain_workbook,
    report_sheet,
    rezip,
    understated,
    zip_bomb,
    zip_of,
)
from tests.report_excel.service import send, template
from tests.report_excel.test_upload import values_of
from tests.reports.conftest import World

FILLED = {"NV_CHINH_TRI": 30}


def identity_edit(**changes: str) -> Callable[[Any], None]:
    """Rewrite rows of the identity sheet (key -> new second column)."""
    def edit(wb: Any) -> None:
        ws = wb[layout.IDENTITY_SHEET]
        for row in ws.iter_rows():
            key = row[0].value
            if key in changes:
                row[1].value = changes[key]
    return edit


def ids_edit(**changes: str) -> Callable[[Any], None]:
    """Rewrite the id column of identity rows (key -> new id)."""
    def edit(wb: Any) -> None:
        for row in wb[layout.IDENTITY_SHEET].iter_rows():
            if row[0].value in changes:
                row[2].value = changes[row[0].value]
    return edit


def extra_sheet(wb: Any) -> None:
    wb.create_sheet("Phòng Tổng hợp")


def many_rows(wb: Any) -> None:
    report_sheet(wb).cell(row=MAX_ROWS + 1, column=1, value="x")


async def of_template(world: World, change: Callable[[bytes], bytes]) -> bytes:
    return change(fill(await template(world), FILLED))


CASES: list[tuple[str, Callable[[World], Awaitable[bytes]], str, Upload]] = []


def case(name: str, outcome: Upload, file_name: str = "mau.xlsx") -> Callable[..., Any]:
    def register(make: Callable[[World], Awaitable[bytes]]) -> Callable[[World], Awaitable[bytes]]:
        CASES.append((name, make, file_name, outcome))
        return make
    return register


@case("not an xlsx", Upload.NOT_XLSX)
async def _pdf(world: World) -> bytes:
    return b"%PDF-1.4 bien ban"


@case("a renamed zip", Upload.NOT_WORKBOOK)
async def _zip(world: World) -> bytes:
    return zip_of({"so-lieu.csv": b"NV_CHINH_TRI;30"})


@case("a zip bomb", Upload.ZIP_BOMB)
async def _bomb(world: World) -> bytes:
    return await of_template(world, lambda d: zip_bomb(d, MAX_UNCOMPRESSED_BYTES + 1))


@case("a zip understating its sizes", Upload.NOT_XLSX)
async def _lying(world: World) -> bytes:
    return await of_template(world, lambda d: understated(d, MAX_UNCOMPRESSED_BYTES))


@case(".xlsm by name", Upload.MACROS, "mau.xlsm")
async def _xlsm(world: World) -> bytes:
    return fill(await template(world), FILLED)


@case("macros inside", Upload.MACROS)
async def _vba(world: World) -> bytes:
    return await of_template(world, lambda d: rezip(d, add={"xl/vbaProject.bin": b"vba"}))


@case("a hundred thousand shared strings", Upload.TOO_COMPLEX)
async def _strings(world: World) -> bytes:
    return await of_template(world, lambda d: inflated(d, strings=100_000))


@case("a hundred thousand cells, namespace-prefixed", Upload.TOO_COMPLEX)
async def _cells(world: World) -> bytes:
    return await of_template(world, lambda d: inflated(d, cells=100_000, prefix="x:"))


@case("fifty thousand cell formats", Upload.TOO_COMPLEX)
async def _styles(world: World) -> bytes:
    return await of_template(world, lambda d: inflated(d, styles=50_000))


@case("over 2 MB", Upload.TOO_BIG)
async def _big(world: World) -> bytes:
    noise = random.Random(23).randbytes(MAX_WORKBOOK_BYTES)  # a photo: no compression
    return await of_template(world, lambda d: rezip(d, add={"xl/media/a.png": noise}))


@case("over 500 rows", Upload.TOO_MANY_ROWS)
async def _rows(world: World) -> bytes:
    return fill(await template(world), FILLED, edit=many_rows)


@case("another unit's template", Upload.OTHER_UNIT)
async def _other_unit(world: World) -> bytes:
    return fill(await template(world, unit="UBKT"), FILLED)


@case("another phase's template", Upload.OTHER_PHASE)
async def _other_phase(world: World) -> bytes:
    return fill(await template(world), FILLED, edit=ids_edit(phase="999"))


@case("a phase not open yet", Upload.CLOSED)
async def _not_open(world: World) -> bytes:
    dot2 = world.phase("DOT2")
    edit = identity_edit(phase="DOT2")
    return fill(await template(world), FILLED,
                edit=lambda wb: (edit(wb), ids_edit(phase=str(dot2.id))(wb)))


@case("another block's template", Upload.OTHER_BLOCK)
async def _other_block(world: World) -> bytes:
    return fill(await template(world), FILLED, edit=identity_edit(block="KTD5-2023"))


@case("extra sheets", Upload.EXTRA_SHEETS)
async def _sheets(world: World) -> bytes:
    return fill(await template(world), FILLED, edit=extra_sheet)


@case("a workbook that is no template", Upload.NOT_TEMPLATE)
async def _plain(world: World) -> bytes:
    return plain_workbook("Báo cáo")


@case("an identity sheet that is not whole", Upload.NOT_TEMPLATE)
async def _broken(world: World) -> bytes:
    return fill(await template(world), FILLED, edit=identity_edit(fingerprint=""))


@pytest.mark.parametrize(("name", "make", "file_name", "outcome"), CASES,
                         ids=[c[0] for c in CASES])
async def test_refused_nothing_saved_refusal_audited(
    world: World, name: str, make: Callable[[World], Awaitable[bytes]], file_name: str,
    outcome: Upload,
) -> None:
    data = await make(world)
    started = time.perf_counter()
    result = await send(world, data, name=file_name)
    assert time.perf_counter() - started < 2
    assert result.outcome is outcome and result.refused
    assert await values_of(world) == {}
    async with world.db.read() as conn:
        rows = await audit_repo.entries(conn, block_id=world.block.id,
                                        action=f"report.excel.{outcome.value}")
    assert [r.subject for r in rows] == [file_name]
    assert rows[0].after["size"] == len(data)


async def test_over_2_mb_is_not_even_downloaded(world: World) -> None:
    result = await send(world, b"", size=MAX_WORKBOOK_BYTES + 1)
    assert result.outcome is Upload.TOO_BIG


async def test_with_a_question_open_a_spreadsheet_that_is_no_template_is_evidence(
    world: World,
) -> None:
    for data in (plain_workbook("Bảng kê"), b"%PDF not xlsx"):
        result = await send(world, data, evidence_open=True)
        assert result.outcome is Upload.NOT_OURS
    assert (await send(world, b"", size=MAX_WORKBOOK_BYTES + 1, evidence_open=True)
            ).outcome is Upload.NOT_OURS
    async with world.db.read() as conn:
        assert not [e for e in await audit_repo.entries(conn, block_id=world.block.id)
                    if e.action.startswith("report.excel")]
    # while the template itself is still taken as the report
    taken = await send(world, fill(await template(world), FILLED), evidence_open=True)
    assert taken.outcome is Upload.SAVED


async def test_a_template_edited_to_be_unprotected_is_still_read_by_its_codes(
    world: World,
) -> None:
    def unprotect_and_sort(wb: Any) -> None:
        ws = report_sheet(wb)
        ws.protection.sheet = False
        first, last = layout.FIRST_ROW, layout.FIRST_ROW + 1  # swap two rows
        for col in range(1, layout.VALUE_COL + 1):
            a, b = ws.cell(row=first, column=col), ws.cell(row=last, column=col)
            a.value, b.value = b.value, a.value

    data = fill(await template(world), {"NV_CHINH_TRI": 30}, edit=unprotect_and_sort)
    assert load_workbook(io.BytesIO(data))
    result = await send(world, data)
    assert [(c.address, c.criterion.code) for c in result.saved] == [("H6", "NV_CHINH_TRI")]
