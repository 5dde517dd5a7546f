"""`covenant verify` finds any edit of a stored signature; `covenant export` writes the rows."""

from __future__ import annotations

from datetime import UTC, datetime
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
    path = write_covenant_record(record, tmp_path / "out" / "giao-uoc.xlsx",
                                 now=datetime(2023, 3, 20, 2, 0, tzinfo=UTC))
    book = load_workbook(path)
    try:
        assert book.sheetnames == ["Danh sách ký kết", "Văn bản và mã đầy đủ"]
        ws = book["Danh sách ký kết"]
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
        texts = {str(c) for r in cells for c in r if c is not None}
        for line in ("KHỐI THI ĐUA 6", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Bình Thuận, ngày 20 tháng 3 năm 2023",
                     "DANH SÁCH XÁC NHẬN KÝ KẾT GIAO ƯỚC THI ĐUA NĂM 2023",
                     "TM. KHỐI TRƯỞNG", "VĂN PHÒNG TỈNH ỦY", "NGƯỜI LẬP BIỂU",
                     "Tổng cộng: 3/9 đơn vị đã ký kết."):
            assert line in texts, line
        top = next(i for i, r in enumerate(cells) if r[0] == "STT")
        assert cells[top][:6] == ["STT", "Đơn vị", "Người đại diện ký", "Thời gian ký",
                                  "Phiên bản", "Mã xác thực"]
        rows = [r for r in cells[top + 1:] if isinstance(r[0], int)]
        assert len(rows) == 9
        first = rows[0]
        assert first[1:3] == ["Văn phòng Tỉnh ủy", "Người ký VPTU"]
        assert first[4] == 1 and len(first[5]) == 12  # the short hash
        assert rows[5][3] == "Chưa ký" and rows[5][5] in (None, "")
        assert str(world.rep("VPTU")) not in " ".join(texts)  # no Telegram accounts
        assert ws.page_setup.orientation == "portrait"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        full = [str(c) for r in book["Văn bản và mã đầy đủ"].iter_rows(values_only=True)
                for c in r if c is not None]
        text = "\n".join(full)
        assert "Giao ước thi đua năm 2023" in text and "5. Thực hiện nghiêm" in text
        assert sum(1 for c in full if len(c) == 64) == 3  # each signature's full SHA-256
        assert first[5] in {c[:12] for c in full if len(c) == 64}
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

    return await asyncio.to_thread(main, ["--lang", "en", *argv])
