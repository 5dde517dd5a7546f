"""End to end: a representative presses «⏰ Nhắc lại sau» under a reminder; the press is
answered with when, the button goes from that copy, and the reminder comes again to that
person only, once, with its buttons; a unit that reported meanwhile is not reminded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.reminders import run_reminders
from tests.e2e.harness import BotHarness
from tests.reminders.test_e2e import reminders_in

pytestmark = pytest.mark.e2e

# Tuesday 13/06/2023 08:00 in the block (01:00 UTC): the "7d" round of phase 1.
SEVEN_DAYS = datetime(2023, 6, 13, 1, 0, tzinfo=UTC)


@pytest.fixture
async def harness(tmp_path):  # type: ignore[no-untyped-def]
    h = BotHarness(tmp_path, now=datetime(2023, 6, 12, 3, 0, tzinfo=UTC))
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


async def test_snooze_reminds_again_later_that_person_only(harness: BotHarness) -> None:
    h = harness
    reps = await h.register_all(["VPTU", "TCT", "BNC"])
    second = await h.register("TCT", "Phó Hiệu trưởng")
    h.clock.set(SEVEN_DAYS)
    await run_reminders(h.app)
    await h.settle(quiet=0.3)
    [reminder] = reminders_in(h, reps["TCT"].user_id, "đến hạn nộp báo cáo")
    assert [b["text"] for b in reminder.buttons] == ["📝 Mở báo cáo", "⏰ Nhắc lại sau"]

    await h.press(reps["TCT"], reminder, reminder.button("Nhắc lại sau")["callback_data"])
    [answer] = h.emu.callback_answers(reps["TCT"].user_id)
    assert answer.text == "Bot sẽ nhắc lại anh/chị lúc 10 giờ 00, ngày 13/6/2023."
    await h.settle(quiet=0.2)
    # the snooze button leaves that copy; «📝 Mở báo cáo» stays
    assert [b["text"] for b in reminder.buttons] == ["📝 Mở báo cáo"]

    h.clock.set(datetime(2023, 6, 13, 2, 59, tzinfo=UTC))
    await run_reminders(h.app)
    await h.settle(quiet=0.2)
    assert len(reminders_in(h, reps["TCT"].user_id, "đến hạn nộp báo cáo")) == 1
    h.clock.set(datetime(2023, 6, 13, 3, 0, tzinfo=UTC))  # 10:00 local
    await run_reminders(h.app)
    await run_reminders(h.app)  # a second wake-up sends nothing more
    await h.settle(quiet=0.2)
    again = reminders_in(h, reps["TCT"].user_id, "đến hạn nộp báo cáo")
    assert len(again) == 2 and "Nhắc lại theo yêu cầu" in (again[-1].text or "")
    assert "còn 7 ngày" in (again[-1].text or "")
    assert [b["text"] for b in again[-1].buttons] == ["📝 Mở báo cáo", "⏰ Nhắc lại sau"]
    # the unit's other representative and the other units got nothing more
    assert len(reminders_in(h, second.user_id, "đến hạn nộp báo cáo")) == 1
    assert len(reminders_in(h, reps["BNC"].user_id, "đến hạn nộp báo cáo")) == 1

    # A forged snooze of another unit's report: refused, nothing planned
    await h.press(reps["BNC"], reminders_in(h, reps["BNC"].user_id, "đến hạn")[0],
                  "rm:z:b:999")
    assert "không dành cho anh/chị" in (h.emu.callback_answers(reps["BNC"].user_id)[-1].text
                                         or "")
