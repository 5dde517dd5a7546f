"""End to end: a report deadline 10 minutes away with offsets 5m and 2m, a restart in the
middle, a unit that reports in between, the chair's missed-deadline list."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.outbox import State
from bot.sandbox import SentMessage
from handlers.reminders import run_reminders
from storage.db import Database
from storage.outbox.tables import outbox as outbox_table
from tests.e2e.harness import EXAMPLE_BLOCK, GROUP_ID, BotHarness, Person
from tests.reports.e2e_helpers import FULL_LINES, press

pytestmark = pytest.mark.e2e


@pytest.fixture
def harness_block_file(tmp_path: Path) -> Path:
    """The example block with its first report deadline 10 minutes after the harness's
    start (09:00 local), reminded 5 and 2 minutes before, and no quiet hours."""
    text = EXAMPLE_BLOCK.read_text(encoding="utf-8")
    text = text.replace("report_due = 2023-06-20 ", "report_due = 2023-02-01T09:10:00 ")
    text = text.replace('before_report_due = ["7d", "3d", "1d", "2h"]',
                        'before_report_due = ["5m", "2m"]')
    text = text.replace('quiet_hours = "21:00-07:00"', 'quiet_hours = ""')
    path = tmp_path / "block.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def submit(h: BotHarness, rep: Person) -> None:
    form = await h.say(rep, FULL_LINES)
    confirm = await press(h, rep, form, "📤")
    await press(h, rep, confirm, "✅")


def reminders_in(h: BotHarness, chat_id: int, needle: str) -> list[SentMessage]:
    return [m for m in h.emu.sent_messages(chat_id) if needle in (m.text or "")]


async def tick_at(h: BotHarness, minute: int) -> None:
    h.clock.set(h.now.replace(minute=minute))
    await run_reminders(h.app)
    await run_reminders(h.app)  # an overlapping wake-up must not send anything twice
    await h.settle(quiet=0.3)


async def test_deadline_minutes_away_with_restart(harness: BotHarness) -> None:
    h = harness
    reps = await h.register_all()
    await h.bind_group(reps["VPTU"])
    await submit(h, reps["BBT"])
    await submit(h, reps["UBKT"])

    await tick_at(h, 5)  # 09:05 local: the "5m" round
    owing = [c for c in reps if c not in ("BBT", "UBKT")]
    for code in owing:
        got = reminders_in(h, reps[code].user_id, "đến hạn nộp báo cáo")
        assert len(got) == 1, code
        assert "còn 5 phút" in (got[0].text or "")
    # Names, not codes: the criteria by their number and title, the units by name
    tct = reminders_in(h, reps["TCT"].user_id, "đến hạn")[0]
    assert "tiêu chí chưa nhập:\n(1) Hoàn thành nhiệm vụ chính trị, chuyên môn được giao\n" \
        in (tct.text or "")
    assert "NV_CHINH_TRI" not in (tct.text or "")
    # and the buttons that do the thing: open the report, or be reminded later
    assert [b["text"] for b in tct.buttons] == ["📝 Mở báo cáo", "⏰ Nhắc lại sau"]
    for code in ("BBT", "UBKT"):
        assert reminders_in(h, reps[code].user_id, "đến hạn nộp báo cáo") == []
    [summary] = reminders_in(h, GROUP_ID, "đơn vị chưa nộp")
    assert "7/9 đơn vị chưa nộp: Văn phòng Tỉnh ủy, Ban Tuyên giáo Tỉnh ủy, Ban Dân vận " \
        "Tỉnh ủy, Đảng ủy Khối" in (summary.text or "")
    assert "…" in (summary.text or "") and "VPTU" not in (summary.text or "")

    await submit(h, reps["BDV"])  # reports in between: no more reminders
    await h.stop_bot()
    h.clock.set(h.now.replace(minute=8))  # the "2m" round falls while the bot is down
    await h.start_bot()
    await run_reminders(h.app)
    await h.settle(quiet=0.3)
    for code in owing:
        expected = 1 if code == "BDV" else 2
        assert len(reminders_in(h, reps[code].user_id, "đến hạn nộp báo cáo")) == expected

    await tick_at(h, 11)  # just after the deadline
    chair_list = reminders_in(h, reps["VPTU"].user_id, "Đã hết hạn nộp báo cáo")
    assert len(chair_list) == 1
    assert "6/9 đơn vị chưa nộp" in (chair_list[0].text or "")
    assert "• Trường Chính trị tỉnh" in (chair_list[0].text or "")
    assert "Ban Dân vận" not in (chair_list[0].text or "")
    for code in owing:
        overdue = reminders_in(h, reps[code].user_id, "đã quá hạn nộp báo cáo")
        assert len(overdue) == (0 if code == "BDV" else 1), code
        if overdue:  # late reports are accepted: the form is one press away
            assert [b["text"] for b in overdue[0].buttons] == ["📝 Mở báo cáo",
                                                                "⏰ Nhắc lại sau"]
    assert len(reminders_in(h, GROUP_ID, "đơn vị chưa nộp")) == 2


async def test_chair_reminds_now_and_everyone_sees_deadlines(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    member = await h.register("TCT")
    await h.settle(quiet=0.3)  # the chair's "new representative" notice, before we talk
    listing = await h.say(member, "/deadlines")
    assert "Hạn nộp báo cáo Đợt 1: <b>09:10 01/02/2023</b>" in (listing.source_text or "") \
        or "Hạn nộp báo cáo Đợt 1: 09:10 01/02/2023" in (listing.text or "")
    refused = await h.say(member, "/remind report")
    assert "chỉ dành cho đại diện đơn vị Khối trưởng" in (refused.text or "")
    done = await h.say(chair, "/remind report")
    assert "Đã gửi lời nhắc" in (done.text or "")
    await h.settle(quiet=0.3)
    assert len(reminders_in(h, member.user_id, "đến hạn nộp báo cáo")) == 1
    again = await h.say(chair, "/remind report")  # minutes later: the units were just told
    assert "chưa đến 10 phút" in (again.text or "")
    h.clock.advance(timedelta(minutes=30))
    late = await h.say(chair, "/remind report")  # after the deadline: still useful
    assert "Đã gửi lời nhắc" in (late.text or "")


async def test_429_and_a_blocked_representative_lose_nothing_else(harness: BotHarness) -> None:
    h = harness
    reps = await h.register_all(["VPTU", "TCT", "BNC", "BDV"])
    h.emu.block_bot(reps["BNC"].user_id)
    h.emu.inject_fault("sendMessage", "429", times=2, retry_after=1)
    await tick_at(h, 5)
    for code in ("VPTU", "TCT", "BDV"):
        assert len(reminders_in(h, reps[code].user_id, "đến hạn nộp báo cáo")) == 1, code
    assert reminders_in(h, reps["BNC"].user_id, "đến hạn nộp báo cáo") == []
    await tick_at(h, 8)
    for code in ("VPTU", "TCT", "BDV"):
        assert len(reminders_in(h, reps[code].user_id, "đến hạn nộp báo cáo")) == 2, code


async def test_signing_reminder_carries_the_sign_button(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    member = await h.register("TCT")
    other = await h.register("BNC")
    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, "/covenant publish")
    preview = await h.emu.wait_for_message(
        chair.user_id, after=mark, timeout=15,
        predicate=lambda m: any("Phát hành" in str(b.get("text")) for b in m.buttons))
    await h.press(chair, preview, preview.button("Phát hành")["callback_data"])
    await h.settle(quiet=0.3)
    done = await h.say(chair, "/remind sign")
    assert "Đã gửi lời nhắc" in (done.text or "")
    await h.settle(quiet=0.3)
    [reminder] = reminders_in(h, member.user_id, "đến hạn ký giao ước")
    assert "bấm «✍️ Ký giao ước» bên dưới" in (reminder.text or "")
    sign = reminder.button("Ký giao ước")
    # the press goes through the ordinary signing flow, rights checked there
    mark = h.emu.mark()
    await h.press(member, reminder, sign["callback_data"])
    ask = await h.emu.wait_for_message(member.user_id, after=mark, timeout=15)
    assert "Xác nhận thay mặt <b>Trường Chính trị tỉnh</b>" in (ask.source_text or "") \
        or "Xác nhận thay mặt Trường Chính trị tỉnh" in (ask.text or "")
    # BNC forges a press of TCT's button under its own reminder: refused
    [theirs] = reminders_in(h, other.user_id, "đến hạn ký giao ước")
    assert theirs.button("Ký giao ước")["callback_data"] != sign["callback_data"]
    mark = h.emu.mark()
    await h.press(other, theirs, sign["callback_data"])
    refused = await h.emu.wait_for_message(other.user_id, after=mark, timeout=15)
    assert "không ký thay đơn vị khác" in (refused.text or "")


async def test_stopping_mid_round_finishes_the_sends_in_flight(harness: BotHarness) -> None:
    """The bot stops while a round's messages are on the wire: those in flight are
    answered and marked before it has stopped (no task outlives it, no row is left
    "sending"), the rest wait for the next start, and everyone gets the round once."""
    h = harness
    reps = await h.register_all(["VPTU", "TCT", "BNC", "BDV", "BBT", "UBKT"])
    h.emu.rtt = 1.0  # answers come 1 s after a call, which reaches Telegram at 0.5 s
    h.clock.set(h.now.replace(minute=5))
    await run_reminders(h.app)
    await asyncio.sleep(0.1)  # the first sends are on their way, none arrived yet
    def told() -> int:
        return sum(len(reminders_in(h, rep.user_id, "đến hạn nộp báo cáo"))
                   for rep in reps.values())
    assert told() == 0
    await h.stop_bot()
    assert told() > 0  # the stop waited for the answers to what was in flight
    current = asyncio.current_task()
    assert [t for t in asyncio.all_tasks() if t is not current and not t.done()] == []
    stopped = Database(h.settings().database_url)  # the bot's own is closed
    try:
        async with stopped.read() as conn:
            states = set((await conn.execute(select(outbox_table.c.state))).scalars())
    finally:
        await stopped.close()
    assert State.SENDING not in states, states
    h.emu.rtt = 0.0
    await h.start_bot()
    await h.settle(quiet=0.3)
    for code, rep in reps.items():
        assert len(reminders_in(h, rep.user_id, "đến hạn nộp báo cáo")) == 1, code
