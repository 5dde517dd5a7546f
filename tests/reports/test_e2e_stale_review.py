"""End to end through the emulator with two chairs (issues 26.6 and 17.7): a report
accepted by one chair is not returned by the other, who was typing the reason on a screen
from before; a double press of «Chấp nhận» accepts once; the chair who came second is told
who decided, and when. And the reason asked for after lowering a score is accepted alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import audit
from tests.e2e.harness import BotHarness
from tests.reports.e2e_helpers import FULL_LINES, data_of, press, say_expect

pytestmark = pytest.mark.e2e

STALE = "Thao tác chưa được thực hiện"


async def test_a_return_typed_on_a_stale_screen_does_not_undo_an_accept(
    harness: BotHarness,
) -> None:
    h = harness
    chair_a = await h.register("VPTU", "Nguyễn Văn An")
    chair_b = await h.register("VPTU", "Trần Thị Bình")
    ubkt = await h.register("UBKT")
    form = await h.say(ubkt, FULL_LINES)
    await press(h, ubkt, await press(h, ubkt, form, "📤"), "✅")
    await h.emu.wait_idle(quiet=0.1)

    screens = {}
    for chair in (chair_a, chair_b):
        overview = await h.say(chair, "/review")
        screens[chair.user_id] = await press(h, chair, overview, "UBKT")
    # chair B starts returning the report...
    ask = await press(h, chair_b, screens[chair_b.user_id], "↩️ Trả lại")
    assert "lý do trả lại" in (ask.text or "")
    # ...while chair A accepts it, at 09:05 in Hanoi
    h.clock.set(h.clock.now() + timedelta(minutes=5))
    accepted = await press(h, chair_a, screens[chair_a.user_id], "✅ Chấp nhận")
    assert "Đã thẩm định báo cáo" in (accepted.text or "")
    await h.emu.wait_idle(quiet=0.1)
    mark = h.emu.mark()
    h.clock.set(h.clock.now() + timedelta(seconds=1))
    told = await say_expect(h, chair_b, "Xin bổ sung minh chứng", STALE)
    text = told.text or ""
    assert ("Nguyễn Văn An (Văn phòng Tỉnh ủy) đã thẩm định (chấp nhận) báo cáo lúc "
            "01/02/2023 09:05") in text
    assert "đã thẩm định" in text  # the report as it is now follows
    await h.emu.wait_idle(quiet=0.2)
    # the unit heard "đã thẩm định" once and never "trả lại"
    unit_texts = [m.text or "" for m in h.emu.sent_messages(ubkt.user_id)]
    assert sum("đã được thẩm định" in t for t in unit_texts) == 1
    assert not any("trả lại" in (m.text or "")
                   for m in h.emu.sent_messages(ubkt.user_id)[mark.sent:])
    async with h.db.read() as conn:
        assert await audit.entries(conn, action="review.returned") == []


async def test_a_double_press_of_accept_accepts_once(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU", "Nguyễn Văn An")
    ubkt = await h.register("UBKT")
    form = await h.say(ubkt, FULL_LINES)
    await press(h, ubkt, await press(h, ubkt, form, "📤"), "✅")
    overview = await h.say(chair, "/review")
    detail = await press(h, chair, overview, "UBKT")
    accept = data_of(detail, "✅ Chấp nhận")
    mark = h.emu.mark()
    h.emu.press_button(chair.user_id, detail, accept)
    h.emu.press_button(chair.user_id, detail, accept)  # the second tap, on the same screen
    await h.emu.wait_for_calls("answerCallbackQuery", count=2, after=mark)
    await h.emu.wait_idle(quiet=0.2)
    assert STALE in (detail.text or "")  # the screen now says the report was accepted
    assert "Nguyễn Văn An (Văn phòng Tỉnh ủy) đã thẩm định (chấp nhận)" in (detail.text or "")
    async with h.db.read() as conn:
        assert len(await audit.entries(conn, action="review.accepted")) == 1
    unit_texts = [m.text or "" for m in h.emu.sent_messages(ubkt.user_id)]
    assert sum("đã được thẩm định" in t for t in unit_texts) == 1
    assert not list(h.runtime.failed_updates)


async def test_the_reason_alone_completes_a_lowered_score(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    ubkt = await h.register("UBKT")
    form = await h.say(ubkt, FULL_LINES)
    await press(h, ubkt, await press(h, ubkt, form, "📤"), "✅")
    overview = await h.say(chair, "/review")
    detail = await press(h, chair, overview, "UBKT")
    await press(h, chair, detail, "✏️ 1.")
    asked = await say_expect(h, chair, "30", "cần có lý do")
    assert "từ 35 xuống 30 điểm" in (asked.text or "")
    # the reason alone: no "không đọc được số điểm", no need to type "30; …" again
    saved = await say_expect(h, chair, "Chưa đủ minh chứng", "Đã ghi điểm thẩm định")
    assert "30 điểm" in (saved.text or "")
    assert "lý do: Chưa đủ minh chứng" in (saved.text or "")
    # "điểm; lý do" in one message keeps working
    await press(h, chair, saved, "✏️ 1.")
    again = await say_expect(h, chair, "28; Thiếu hồ sơ", "Đã ghi điểm thẩm định")
    assert "28 điểm" in (again.text or "") and "Thiếu hồ sơ" in (again.text or "")
    async with h.db.read() as conn:
        points = await audit.entries(conn, action="review.points")
    assert [p.after["reason"] for p in points] == ["Chưa đủ minh chứng", "Thiếu hồ sơ"]


async def test_a_changing_button_of_an_earlier_release_changes_nothing(
    harness: BotHarness,
) -> None:
    h = harness
    chair = await h.register("VPTU")
    ubkt = await h.register("UBKT")
    form = await h.say(ubkt, FULL_LINES)
    await press(h, ubkt, await press(h, ubkt, form, "📤"), "✅")
    overview = await h.say(chair, "/review")
    detail = await press(h, chair, overview, "UBKT")
    report_id = data_of(detail, "✅ Chấp nhận").split(":")[2]
    # «Chấp nhận» as an earlier release built it, without the version its screen showed
    await h.press(chair, detail, f"rv:a:{report_id}")
    await h.emu.wait_idle(quiet=0.1)
    assert "phiên bản bot trước" in (detail.text or "")
    assert "chờ thẩm định" in (detail.text or "")
    async with h.db.read() as conn:
        assert await audit.entries(conn, action="review.accepted") == []
    # the screen it shows instead carries the version: accepting works from it
    await press(h, chair, detail, "✅ Chấp nhận")
    assert "Đã thẩm định báo cáo" in (detail.text or "")
