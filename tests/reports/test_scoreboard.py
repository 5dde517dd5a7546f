"""The aggregate read: every unit's values in two queries, scores, provisional flags, the
chair's end of appraisal, and what reminders ask."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from bot.services.ranking.scoreboard import load_scoreboard
from bot.services.review.appraisal import accept_report
from bot.services.review.phase import (
    Finish,
    finish_review,
    missing_criteria,
    units_without_report,
)
from storage.reports.queries import block_reports
from tests.conftest import counting_statements
from tests.reports.conftest import CHAIR_TG, UBKT_TG, World, local
from tests.reports.helpers import fill, submit
from tests.reports.test_evidence import PDF, attach, doc


async def test_block_reports_reads_in_two_queries(world: World, tmp_path: Path) -> None:
    await fill(world, "BBT")
    await fill(world, "UBKT", "NV_CHINH_TRI: 20", tg=UBKT_TG)
    await attach(world, tmp_path, doc("a.pdf"), PDF, code="SANG_KIEN")  # evidence, no value
    with counting_statements(world.db) as statements:
        async with world.db.read() as conn:
            data = await block_reports(conn, world.block.id, world.phase("DOT1").id)
    # The reports, then their values and evidence counts: two, however many units (no N+1).
    assert len(statements) == 2
    bbt = data.get(world.unit("BBT").id, world.phase("DOT1").id)
    assert bbt is not None and len(bbt.values) == 7
    assert bbt.evidence_counts == {world.criterion("SANG_KIEN").id: 1}
    ubkt = data.get(world.unit("UBKT").id, world.phase("DOT1").id)
    assert ubkt is not None and list(ubkt.values) == [world.criterion("NV_CHINH_TRI").id]
    assert data.get(world.unit("VPTU").id, world.phase("DOT1").id) is None


async def test_scores_are_provisional_until_appraised_or_finished(world: World) -> None:
    await fill(world, "BBT")
    report_id = (await submit(world, "BBT")).view.report.id
    await fill(world, "UBKT", tg=UBKT_TG)
    world.clock.set(local(2023, 6, 22, 9, 0))
    await submit(world, "UBKT", UBKT_TG)
    board = await load_scoreboard(world.db, world.block, world.phase("DOT1").id)
    rows = {r.unit.code: r for r in board.phase_results(world.phase("DOT1").id)}
    assert rows["BBT"].status == "submitted" and rows["UBKT"].status == "late"
    assert rows["VPTU"].status == "none" and rows["VPTU"].score.total == 0
    assert all(r.score.provisional for r in rows.values())
    # UBKT has no target of its own: 150/100 caps at 10 points
    assert rows["UBKT"].score.total == Decimal("90.50")
    assert rows["BBT"].score.total == Decimal("88.00")

    pending = await finish_review(world.db, world.clock, block=world.block, actor_tg_id=CHAIR_TG)
    assert pending.outcome is Finish.PENDING
    assert [u.code for u in pending.pending] == ["UBKT", "BBT"]
    for rid in (report_id, rows["UBKT"].report.id):  # type: ignore[union-attr]
        await accept_report(world.db, world.clock, world.texts, block=world.block,
                            actor_tg_id=CHAIR_TG, report_id=rid)
    done = await finish_review(world.db, world.clock, block=world.block, actor_tg_id=CHAIR_TG)
    assert done.outcome is Finish.FINISHED and done.overview is not None
    assert done.overview.finished and done.overview.handed_in == 2
    again = await finish_review(world.db, world.clock, block=world.block, actor_tg_id=CHAIR_TG)
    assert again.outcome is Finish.ALREADY

    board = await load_scoreboard(world.db, world.block)
    dot1 = world.phase("DOT1").id
    assert not any(r.score.provisional for r in board.phase_results(dot1))
    year = board.year(world.unit("BBT").id)
    assert year.total == Decimal("88.00") and year.provisional  # DOT2 is still open


async def test_what_reminders_ask(world: World) -> None:
    phase = world.phase("DOT1")
    await fill(world, "BBT")
    await submit(world, "BBT")
    await fill(world, "UBKT", "NV_CHINH_TRI: 20\nSANG_KIEN: 2", tg=UBKT_TG)
    waiting = await units_without_report(world.db, world.block, phase)
    assert "BBT" not in [u.code for u in waiting] and len(waiting) == 8
    missing = await missing_criteria(world.db, world.block, world.unit("UBKT"), phase)
    assert [c.code for c in missing] == [
        "TIEN_VAN_DONG", "CHUYEN_DOI_SO", "HOAT_DONG_CHUNG", "KHEN_THUONG", "XAY_DUNG_DANG",
        "KET_QUA_NOI_BAT",
    ]
    untouched = await missing_criteria(world.db, world.block, world.unit("VPTU"), phase)
    assert len(untouched) == 7
