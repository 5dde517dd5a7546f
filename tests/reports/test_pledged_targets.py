"""A target registered with /pledge replaces the block file's in scoring."""

from __future__ import annotations

from decimal import Decimal

from bot.services.targets import block_targets, unit_targets
from storage import covenant as covenant_repo
from tests.reports.conftest import World


async def test_pledged_target_overrides_block_file(world: World) -> None:
    bbt, ubkt = world.unit("BBT"), world.unit("UBKT")
    async with world.db.transaction() as conn:
        assert await unit_targets(conn, bbt) == {"TIEN_VAN_DONG": Decimal("200000000")}
        await covenant_repo.put_pledge(
            conn, block_id=world.block.id, unit_id=ubkt.id, slogan="Kỷ cương",
            targets={"TIEN_VAN_DONG": "150000000", "CHUYEN_DOI_SO": "95"},
            now=world.clock.now(), by_tg_id=3001,
        )
        mine = await unit_targets(conn, ubkt)
        together = await block_targets(conn, [bbt, ubkt])
    assert mine == {"TIEN_VAN_DONG": Decimal("150000000"), "CHUYEN_DOI_SO": Decimal("95")}
    assert together == {bbt.id: {"TIEN_VAN_DONG": Decimal("200000000")}, ubkt.id: mine}
