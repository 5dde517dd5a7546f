"""Builders shared by the report tests: criteria, a full report, filling and submitting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.services.reports.lines import save_lines
from bot.services.reports.submission import submit_report
from storage.records import Criterion
from tests.reports.conftest import BBT_TG, World

# Every required criterion of the example block, as a representative would type it.
FULL = """NV_CHINH_TRI: 35
TIEN_VAN_DONG: 150.000.000
CHUYEN_DOI_SO: 85,5
HOAT_DONG_CHUNG: có
KHEN_THUONG: 12
XAY_DUNG_DANG: 9
KET_QUA_NOI_BAT: Mô hình «Dân vận khéo» được nhân rộng"""


def crit(
    cid: int, kind: str, max_points: int | str, *, target: int | str | None = None,
    bonus: bool = False, penalty: bool = False, group: str | None = "I",
) -> Criterion:
    return Criterion(
        id=cid, block_id=1, code=f"C{cid}", group_name=group, title=f"criterion {cid}",
        kind=kind, measure=None, target=None if target is None else Decimal(target),
        max_points=Decimal(max_points), bonus=bonus, penalty=penalty, position=cid,
    )


async def fill(world: World, unit: str, text: str = FULL, tg: int = BBT_TG) -> None:
    result = await save_lines(world.db, world.clock, block=world.block, unit=world.unit(unit),
                              actor_tg_id=tg, text=text, lang="vi")
    assert not result.bad, result.bad


async def submit(world: World, unit: str, tg: int = BBT_TG) -> Any:
    return await submit_report(world.db, world.clock, world.texts, block=world.block,
                               unit=world.unit(unit), actor_tg_id=tg,
                               phase_id=world.phase("DOT1").id)
