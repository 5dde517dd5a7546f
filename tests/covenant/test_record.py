"""`covenant verify` finds any edit of a stored signature; `covenant export` writes the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from bot.cli import main
from bot.exports.covenant import write_covenant_record
from bot.services.covenant.record import Mismatch, signing_record, verify_block
from storage.covenant.tables import covenant_signatures, covenant_versions
from tests.covenant.conftest import World
from tests.covenant.helpers import publish_now, sign_as


async def signed_block(world: World) -> None:
    await publish_now(world)
    for unit in world.tree.units[:3]:
        await sign_as(world, unit.code)


async def test_all_valid(world: World) -> None:
    await signed_block(world)
    _, checked = await verify_block(world.db, world.block.code)
    assert len(checked) == 3 and all(c.valid for c in checked)
    assert [c.unit_code for c in checked] == ["VPTU", "BTG", "UBKT"]


@pytest.mark.parametrize(("table", "values", "problem"), [
    (covenant_signatures, {"text_hash": "0" * 64}, Mismatch.SIGNATURE_HASH),
    (covenant_signatures, {"signed_text": "sửa"}, Mismatch.SIGNATURE_HASH),
    (covenant_signatures, {"pledge": {"unit_code": "UBKT", "unit_name": "X", "slogan": None,
                                      "targets": []}}, Mismatch.SIGNED_TEXT),
    (covenant_versions, {"text": "Văn bản khác"}, Mismatch.VERSION_HASH),
])
async def test_tampering_is_reported(
    world: World, table: object, values: dict[str, object], problem: Mismatch
) -> None:
    await signed_block(world)
    async with world.db.transaction() as conn:
        if table is covenant_signatures:
            stmt = update(covenant_signatures).where(covenant_signatures.c.id == 3)
        else:
            stmt = update(covenant_versions)
        await conn.execute(stmt.values(**values))
    _, checked = await verify_block(world.db, world.block.code)
    bad = [c for c in checked if not c.valid]
    assert bad and all(problem in c.problems for c in bad)


async def test_export_has_one_row_per_unit_and_the_text(world: World, tmp_path: Path) -> None:
    await signed_block(world)
    record = await signing_record(world.db, world.block.code)
    path = write_covenant_record(record, tmp_path / "out" / "giao-uoc.xlsx")
    book = load_workbook(path)
    try:
        assert book.sheetnames == ["Ký kết", "Lịch sử ký", "Văn bản giao ước"]
        rows = list(book["Ký kết"].iter_rows(min_row=4, values_only=True))
        assert len(rows) == 9
        first = rows[0]
        assert first[1:4] == ("VPTU", "Văn phòng Tỉnh ủy", "Người ký VPTU")
        assert first[6] == 1 and len(first[7]) == 64 and first[8] == "Có hiệu lực"
        assert rows[5][8] == "Chưa ký" and rows[5][7] is None
        text = "\n".join(str(c.value) for c in book["Văn bản giao ước"]["A"] if c.value)
        assert "Giao ước thi đua năm 2023" in text and "5. Thực hiện nghiêm" in text
    finally:
        book.close()


async def test_cli_verify_and_export(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await signed_block(world)
    monkeypatch.setenv("DATABASE_URL", world.db.url)
    monkeypatch.chdir(tmp_path)
    # the CLI runs its own event loop: hand it the file, not this loop's engine
    await world.db.close()
    assert await _run(["covenant", "verify", "--block", world.block.code]) == 0
    out = capsys.readouterr().out
    assert "All signatures are valid." in out and out.count("  OK  ") == 3
    assert await _run(["covenant", "export", "--block", world.block.code]) == 0
    assert (tmp_path / f"giao-uoc-{world.block.code}.xlsx").exists()
    assert await _run(["covenant", "verify", "--block", "NOPE"]) == 2


async def _run(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(main, argv)
