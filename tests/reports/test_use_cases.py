"""The use cases a press or a typed message maps to one-to-one: a yes/no button's answer,
typed text that may be `CODE: value` lines, the chair's view of a report and of one
criterion, and presses carrying another block's report id."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.services.reports.entry import Save, SaveResult, answer_yesno
from bot.services.reports.lines import LinesResult, save_code_lines, save_typed
from bot.services.review.appraisal import (
    Review,
    accept_report,
    criterion_to_appraise,
    report_to_review,
)
from storage.reports.tables import reports
from tests.reports.conftest import BBT_TG, CHAIR_TG, World
from tests.reports.helpers import fill, submit


async def press_yesno(world: World, code: str, answer: bool, phase_id: int | None = None
                      ) -> SaveResult:
    return await answer_yesno(
        world.db, world.clock, block=world.block, unit=world.unit("BBT"), actor_tg_id=BBT_TG,
        phase_id=phase_id or world.phase("DOT1").id, criterion_id=world.criterion(code).id,
        answer=answer, lang="vi")


async def typed(world: World, text: str, code: str = "NV_CHINH_TRI") -> SaveResult | LinesResult:
    return await save_typed(
        world.db, world.clock, block=world.block, unit=world.unit("BBT"), actor_tg_id=BBT_TG,
        phase_id=world.phase("DOT1").id, criterion_id=world.criterion(code).id, text=text,
        lang="vi")


async def unprompted(world: World, text: str) -> LinesResult | None:
    return await save_code_lines(world.db, world.clock, block=world.block,
                                 unit=world.unit("BBT"), actor_tg_id=BBT_TG, text=text,
                                 lang="vi")


async def test_a_yesno_press_saves_only_into_a_yesno_criterion(world: World) -> None:
    yes = await press_yesno(world, "HOAT_DONG_CHUNG", True)
    assert yes.outcome is Save.SAVED and yes.stored == "yes"
    # a yes/no button can only be forged for a criterion of another kind: nothing is saved
    forged = await press_yesno(world, "KET_QUA_NOI_BAT", True)
    assert forged.outcome is Save.UNKNOWN and forged.view is None
    assert yes.view is not None and world.criterion("KET_QUA_NOI_BAT").id not in yes.view.values
    nowhere = await press_yesno(world, "HOAT_DONG_CHUNG", False, phase_id=99999)
    assert nowhere.outcome is Save.UNKNOWN


async def test_typed_text_is_code_lines_or_the_open_criterions_value(world: World) -> None:
    lines = await typed(world, "KHEN_THUONG: 12\nXAY_DUNG_DANG: 9")
    assert isinstance(lines, LinesResult) and len(lines.saved) == 2
    # "Ghi chú: ..." looks like a line, but its code is no criterion: it is the value
    value = await typed(world, "Ghi chú: 35")
    assert isinstance(value, SaveResult) and value.outcome is Save.BAD
    value = await typed(world, "35")
    assert isinstance(value, SaveResult) and value.outcome is Save.SAVED


async def test_chat_is_not_taken_for_code_lines(world: World) -> None:
    for chat in ("xin chào", "Lưu ý: họp lúc 9 giờ", "GHI_CHU: họp lúc 9 giờ"):
        assert await unprompted(world, chat) is None
    saved = await unprompted(world, "NV_CHINH_TRI: 30\nkhen_thuong: 12")
    assert saved is not None and saved.outcome is Save.SAVED and len(saved.saved) == 2


async def test_the_chair_sees_a_report_and_its_scored_criteria(world: World) -> None:
    await fill(world, "BBT")
    report_id = (await submit(world, "BBT")).view.report.id
    view = await report_to_review(world.db, world.clock, block=world.block, report_id=report_id)
    assert view is not None and view.unit.code == "BBT"

    async def ask(code: str) -> str | None:
        asked = await criterion_to_appraise(world.db, world.clock, block=world.block,
                                            report_id=report_id,
                                            criterion_id=world.criterion(code).id)
        return asked[1].code if asked else None

    assert await ask("KHEN_THUONG") == "KHEN_THUONG"
    # a 0-point criterion has nothing to appraise; an unknown report is not shown
    assert await ask("KET_QUA_NOI_BAT") is None
    assert await report_to_review(world.db, world.clock, block=world.block,
                                  report_id=4242) is None


async def test_another_blocks_chair_leaves_the_report_untouched(world: World) -> None:
    await fill(world, "BBT")
    report_id = (await submit(world, "BBT")).view.report.id
    async with world.db.read() as conn:
        before = (await conn.execute(select(reports))).mappings().one()
    elsewhere = replace(world.block, id=world.block.id + 1)
    assert await report_to_review(world.db, world.clock, block=elsewhere,
                                  report_id=report_id) is None
    world.clock.advance(timedelta(minutes=1))
    result = await accept_report(world.db, world.clock, world.texts, block=elsewhere,
                                 actor_tg_id=CHAIR_TG, report_id=report_id)
    assert result.outcome is Review.UNKNOWN
    async with world.db.read() as conn:
        after = (await conn.execute(select(reports))).mappings().one()
    assert after == before  # not even its updated_at
