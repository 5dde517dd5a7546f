"""Submitting (missing values, late, refused), the chair's appraisal, return and resubmit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from bot.services.reports.entry import Save, save_value
from bot.services.reports.submission import Submit, preview_submit
from bot.services.review.appraisal import Review, accept_report, appraise_criterion, return_report
from storage import audit
from storage.outbox.tables import outbox
from storage.reports.records import ReportState
from storage.tables import blocks
from tests.reports.conftest import BBT_TG, CHAIR_TG, UBKT_TG, World, local
from tests.reports.helpers import fill, submit


async def outbox_rows(world: World) -> list[Any]:
    async with world.db.read() as conn:
        return list((await conn.execute(select(outbox).order_by(outbox.c.id))).mappings())


async def bind_group(world: World, chat_id: int = -100500) -> None:
    async with world.db.transaction() as conn:
        await conn.execute(update(blocks).values(group_chat_id=chat_id))
    world.tree = world.tree.__class__(
        block=world.block.__class__(**{**world.block.__dict__, "group_chat_id": chat_id}),
        units=world.tree.units, phases=world.tree.phases, criteria=world.tree.criteria,
    )


async def test_submit_is_refused_while_values_are_missing(world: World) -> None:
    await fill(world, "BBT", "NV_CHINH_TRI: 35")
    result = await submit(world, "BBT")
    assert result.outcome is Submit.MISSING
    assert [c.code for c in result.view.missing][:2] == ["TIEN_VAN_DONG", "CHUYEN_DOI_SO"]
    assert result.view.state is ReportState.DRAFT
    assert await outbox_rows(world) == []


async def test_submit_on_time_locks_the_report_and_tells_chair_and_group(world: World) -> None:
    await bind_group(world)
    await fill(world, "BBT")
    preview = await preview_submit(world.db, world.clock, block=world.block,
                                   unit=world.unit("BBT"), phase_id=world.phase("DOT1").id)
    assert preview.outcome is Submit.READY and not preview.late
    result = await submit(world, "BBT")
    assert result.outcome is Submit.SUBMITTED and not result.late
    assert (result.handed_in, result.units) == (1, 9)
    # 35 + 150/200 x 10 + 85.5/90 x 10 + 15 + 12 + 9 = 88
    assert result.view.score.self_total == Decimal("88.00")
    rows = await outbox_rows(world)
    assert {r["chat_id"] for r in rows} == {CHAIR_TG, -100500}
    # the chair's digest first, then the group's progress message (issue 18)
    text = rows[0]["parts"][0]["text"]
    assert "Báo Bình Thuận" in text and "Đã nộp Đợt 1: 1/9" in text and "trễ hạn" not in text
    assert "Đã nộp báo cáo Đợt 1: 1/9" in rows[1]["parts"][0]["text"]
    again = await save_value(world.db, world.clock, block=world.block, unit=world.unit("BBT"),
                             actor_tg_id=BBT_TG, phase_id=world.phase("DOT1").id,
                             criterion_id=world.criterion("NV_CHINH_TRI").id, text="40",
                             lang="vi")
    assert again.outcome is Save.LOCKED
    assert (await submit(world, "BBT")).outcome is Submit.LOCKED


async def test_late_submission_is_marked_late(world: World) -> None:
    await fill(world, "UBKT", tg=UBKT_TG)
    world.clock.set(local(2023, 6, 21, 8, 0))
    result = await submit(world, "UBKT", UBKT_TG)
    assert result.outcome is Submit.SUBMITTED and result.late
    rows = await outbox_rows(world)
    assert [r["chat_id"] for r in rows] == [CHAIR_TG]  # no group bound yet
    assert "trễ hạn" in rows[0]["parts"][0]["text"]


async def test_a_block_refusing_late_reports_closes_the_form(world: World) -> None:
    async with world.db.transaction() as conn:
        settings = {**world.block.settings, "late_reports": "refuse"}
        await conn.execute(update(blocks).values(settings=settings))
    world.tree = world.tree.__class__(
        block=world.block.__class__(**{**world.block.__dict__, "settings": settings}),
        units=world.tree.units, phases=world.tree.phases, criteria=world.tree.criteria,
    )
    await fill(world, "UBKT", tg=UBKT_TG)
    world.clock.set(local(2023, 6, 20, 17, 1))
    assert (await submit(world, "UBKT", UBKT_TG)).outcome is Submit.CLOSED


async def test_chair_adjusts_with_a_reason_and_accepts(world: World) -> None:
    await fill(world, "BBT")
    report_id = (await submit(world, "BBT")).view.report.id
    crit = world.criterion("NV_CHINH_TRI")

    async def appraise(text: str) -> Any:
        return await appraise_criterion(world.db, world.clock, block=world.block,
                                        actor_tg_id=CHAIR_TG, report_id=report_id,
                                        criterion_id=crit.id, text=text, lang="vi")

    assert (await appraise("30")).outcome is Review.REASON_REQUIRED
    assert (await appraise("41; quá")).outcome is Review.OVER_LIMIT
    assert (await appraise("ba mươi")).outcome is Review.BAD_POINTS
    done = await appraise("30; Chưa đủ minh chứng")
    assert done.outcome is Review.DONE
    assert done.view.values[crit.id].appraisal_reason == "Chưa đủ minh chứng"
    raised = await appraise("38")  # raising needs no reason
    assert raised.outcome is Review.DONE
    done = await appraise("30\nChưa đủ minh chứng")
    assert done.view.score.total == Decimal("83.00")
    accepted = await accept_report(world.db, world.clock, world.texts, block=world.block,
                                   actor_tg_id=CHAIR_TG, report_id=report_id)
    assert accepted.outcome is Review.DONE
    assert accepted.view.state is ReportState.APPRAISED
    assert accepted.view.score.total == Decimal("83.00")
    assert accepted.view.score.self_total == Decimal("88.00")
    assert not accepted.view.score.provisional
    async with world.db.read() as conn:
        points = await audit.entries(conn, action="review.points")
    assert points[0].before["self_points"] == "35"
    assert points[-1].after["appraised_points"] == "30"
    rows = await outbox_rows(world)
    unit_notice = [r for r in rows if r["chat_id"] == BBT_TG]
    assert unit_notice and "83" in unit_notice[0]["parts"][0]["text"]


async def test_chair_returns_and_the_unit_resubmits(world: World) -> None:
    await fill(world, "BBT")
    report_id = (await submit(world, "BBT")).view.report.id
    no_reason = await return_report(world.db, world.clock, world.texts, block=world.block,
                                    actor_tg_id=CHAIR_TG, report_id=report_id, reason="  ")
    assert no_reason.outcome is Review.REASON_REQUIRED
    returned = await return_report(world.db, world.clock, world.texts, block=world.block,
                                   actor_tg_id=CHAIR_TG, report_id=report_id,
                                   reason="Bổ sung minh chứng tiền vận động")
    assert returned.outcome is Review.DONE and returned.view.state is ReportState.RETURNED
    rows = [r for r in await outbox_rows(world) if r["chat_id"] == BBT_TG]
    assert "Bổ sung minh chứng" in rows[0]["parts"][0]["text"]
    assert rows[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("rp:o:")
    # the chair cannot accept a report that is back with the unit
    refused = await accept_report(world.db, world.clock, world.texts, block=world.block,
                                  actor_tg_id=CHAIR_TG, report_id=report_id)
    assert refused.outcome is Review.WRONG_STATE
    # corrected after the deadline: still on time, lateness is decided at first submission
    world.clock.set(local(2023, 6, 25, 9, 0))
    await fill(world, "BBT", "TIEN_VAN_DONG: 250.000.000")
    again = await submit(world, "BBT")
    assert again.outcome is Submit.SUBMITTED and not again.late
    assert again.view.score.self_total == Decimal("90.50")


async def test_appraisal_of_a_changed_value_is_dropped(world: World) -> None:
    await fill(world, "BBT")
    report_id = (await submit(world, "BBT")).view.report.id
    crit = world.criterion("KHEN_THUONG")
    await appraise_criterion(world.db, world.clock, block=world.block, actor_tg_id=CHAIR_TG,
                             report_id=report_id, criterion_id=crit.id, text="10; ít",
                             lang="vi")
    await return_report(world.db, world.clock, world.texts, block=world.block,
                        actor_tg_id=CHAIR_TG, report_id=report_id, reason="Sửa lại")
    await fill(world, "BBT", "KHEN_THUONG: 11")
    result = await submit(world, "BBT")
    value = result.view.values[crit.id]
    assert value.self_value == "11" and value.appraised_points is None


async def test_another_blocks_report_is_unknown_to_the_chair(world: World) -> None:
    result = await accept_report(world.db, world.clock, world.texts, block=world.block,
                                 actor_tg_id=CHAIR_TG, report_id=4242)
    assert result.outcome is Review.UNKNOWN
    draft = (await save_value(world.db, world.clock, block=world.block, unit=world.unit("BBT"),
                              actor_tg_id=BBT_TG, phase_id=world.phase("DOT1").id,
                              criterion_id=world.criterion("NV_CHINH_TRI").id, text="3",
                              lang="vi")).view
    result = await accept_report(world.db, world.clock, world.texts, block=world.block,
                                 actor_tg_id=CHAIR_TG, report_id=draft.report.id)
    assert result.outcome is Review.WRONG_STATE

