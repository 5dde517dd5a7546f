"""Nobody appraises their own unit's report (issue 18.4): the chair unit's report is the
vice-chair unit's (or a bot admin's) to appraise, and the bot says so; a forged press from
the chair changes nothing. «✅ Chấp nhận và sang đơn vị tiếp theo ▶» skips what the
appraiser may not touch, and says when nothing is left."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.services.review.appraiser import Appraiser, appraisers_of, may_appraise
from bot.services.review.flow import accept_and_next
from bot.services.review.shown import Review
from storage import audit
from storage.reports.tables import reports
from tests.e2e.harness import ADMIN_ID, BotHarness
from tests.reports.conftest import CHAIR_TG, World
from tests.reports.e2e_helpers import FULL_LINES, answer_to, buttons, data_of, press
from tests.reports.helpers import fill, submit


def test_who_appraises_whose_report(world: World) -> None:
    tree = world.tree
    chair, vice, member = world.unit("VPTU"), world.unit("BTG"), world.unit("BBT")
    assert not may_appraise(tree, chair, Appraiser(chair.id))  # one's own unit
    assert may_appraise(tree, chair, Appraiser(vice.id))
    assert not may_appraise(tree, chair, Appraiser(member.id))
    assert may_appraise(tree, chair, Appraiser(None, is_admin=True))
    assert not may_appraise(tree, chair, Appraiser(chair.id, is_admin=True))
    assert may_appraise(tree, member, Appraiser(chair.id))
    assert not may_appraise(tree, vice, Appraiser(vice.id))
    assert may_appraise(tree, vice, Appraiser(chair.id))
    assert not may_appraise(tree, member, Appraiser(world.unit("UBKT").id))
    assert [u.code for u in appraisers_of(tree, chair)] == ["BTG"]
    # without vice-chair rights the chair unit's report is left to a bot admin
    bare = replace(tree, block=replace(tree.block, settings={
        **tree.block.settings, "vice_chair_rights": False}))
    assert not may_appraise(bare, chair, Appraiser(vice.id))
    assert appraisers_of(bare, chair) == ()


async def test_accepting_goes_on_to_the_next_report_this_appraiser_may_take(
    world: World,
) -> None:
    for code in ("VPTU", "UBKT", "BBT"):
        await fill(world, code)
        await submit(world, code)
    async with world.db.read() as conn:
        ids = {r.unit_id: r.id for r in (await conn.execute(select(reports))).all()}
    chair = Appraiser(world.unit("VPTU").id)
    moved = await accept_and_next(
        world.db, world.clock, world.texts, block=world.block, actor_tg_id=CHAIR_TG,
        report_id=ids[world.unit("UBKT").id], version=None, appraiser=chair)
    assert moved.result.outcome is Review.DONE
    assert moved.following is not None and moved.following.unit.code == "BBT"
    moved = await accept_and_next(
        world.db, world.clock, world.texts, block=world.block, actor_tg_id=CHAIR_TG,
        report_id=ids[world.unit("BBT").id], version=None, appraiser=chair)
    # the chair unit's own report still waits, but not for the chair
    assert moved.following is None and moved.overview is not None
    refused = await accept_and_next(
        world.db, world.clock, world.texts, block=world.block, actor_tg_id=CHAIR_TG,
        report_id=ids[world.unit("VPTU").id], version=None, appraiser=chair)
    assert refused.result.outcome is Review.NOT_YOURS


@pytest.mark.e2e
async def test_the_chair_unit_report_goes_to_the_vice_chair(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU", "Chánh Văn phòng")
    vice = await h.register("BTG", "Phó Trưởng ban")
    form = await h.say(chair, FULL_LINES)
    await press(h, chair, await press(h, chair, form, "📤"), "✅")
    overview = await h.say(chair, "/review")
    own = await press(h, chair, overview, "VPTU")
    text = own.text or ""
    assert "Đây là báo cáo của đơn vị anh/chị" in text
    assert "do đơn vị Khối phó (Ban Tuyên giáo Tỉnh ủy) thẩm định" in text
    labels = [label for label, _ in buttons(own)]
    assert not any(label.startswith(("✏️", "✅", "↩️")) for label in labels)
    assert "📋 Danh sách đơn vị" in labels
    # a forged «Chấp nhận» (or ✏️) from the chair is refused and says why
    async with h.db.read() as conn:
        report_id, version = (await conn.execute(select(reports.c.id, reports.c.version))).one()
    for data in (f"rv:a:{report_id}:{version}", f"rv:r:{report_id}:{version}"):
        await h.press(chair, own, data)
        await h.emu.wait_idle(quiet=0.05)
        assert "do đơn vị khác thẩm định" in answer_to(h, chair)
    async with h.db.read() as conn:
        assert (await conn.execute(select(reports.c.state))).scalar_one() == "submitted"
        assert await audit.entries(conn, action="review.accepted") == []
    # the vice-chair unit appraises it; nothing else waits for it
    overview = await h.say(vice, "/review")
    detail = await press(h, vice, overview, "VPTU")
    assert "Đây là báo cáo của đơn vị anh/chị" not in (detail.text or "")
    done = await press(h, vice, detail, "✅ Chấp nhận và sang đơn vị tiếp theo")
    assert "Đã thẩm định báo cáo Đợt 1 của Văn phòng Tỉnh ủy" in (done.text or "")
    assert "Không còn báo cáo nào chờ anh/chị thẩm định" in (done.text or "")
    assert data_of(done, "🏁 Hoàn tất thẩm định")  # the list, ready to finish
    async with h.db.read() as conn:
        assert (await conn.execute(select(reports.c.state))).scalar_one() == "appraised"


@pytest.mark.e2e
async def test_a_bot_admin_appraises_the_chair_unit_when_no_vice_chair_may(
    harness: BotHarness,
) -> None:
    h = harness
    chair = await h.register("VPTU")
    form = await h.say(chair, FULL_LINES)
    await press(h, chair, await press(h, chair, form, "📤"), "✅")
    admin = h.person("Quản trị viên", user_id=ADMIN_ID)
    overview = await h.say(admin, "/review")
    detail = await press(h, admin, overview, "VPTU")
    assert any(label.startswith("✏️ 1.") for label, _ in buttons(detail))
    done = await press(h, admin, detail, "✅ Chấp nhận")
    assert "Đã thẩm định báo cáo Đợt 1 của Văn phòng Tỉnh ủy" in (done.text or "")
