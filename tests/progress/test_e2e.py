"""End to end: the phase's progress message in the group — posted when the phase starts,
pinned, then edited in place as units sign and report, instead of one post each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.reports.lines import save_lines
from bot.services.reports.submission import submit_report
from handlers.reminders import run_reminders
from storage import blocks as blocks_repo
from tests.e2e.harness import GROUP_ID, BotHarness
from tests.reports.e2e_helpers import FULL_LINES

pytestmark = pytest.mark.e2e

# 03:00 on 01/01/2023 in the block's time zone: phase 1 starts at 08:00 (01:00 UTC).
BEFORE_PHASE = datetime(2022, 12, 31, 20, 0, tzinfo=UTC)
PHASE_START = datetime(2023, 1, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
async def harness(tmp_path):  # type: ignore[no-untyped-def]
    h = BotHarness(tmp_path, now=BEFORE_PHASE)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


async def hand_in(h: BotHarness, code: str) -> None:
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    unit = next(u for u in tree.units if u.code == code)
    await save_lines(h.db, h.clock, block=block, unit=unit, actor_tg_id=1, text=FULL_LINES,
                     lang="vi")
    await submit_report(h.db, h.clock, h.runtime.texts, block=block, unit=unit, actor_tg_id=1,
                        phase_id=tree.phases[0].id)


async def test_one_pinned_message_per_phase_edited_in_place(harness: BotHarness) -> None:
    h = harness
    reps = await h.register_all(["VPTU", "BBT", "UBKT", "TCT"])
    await h.bind_group(reps["VPTU"])
    h.clock.set(PHASE_START)
    await run_reminders(h.app)
    await h.settle(quiet=0.3)
    [progress] = [m for m in h.emu.sent_messages(GROUP_ID) if "Tiến độ" in (m.text or "")]
    assert "Bắt đầu Đợt 1" in (progress.text or "")
    assert "Đã nộp báo cáo Đợt 1: 0/9 · Hạn nộp 17 giờ 00, ngày 20/6/2023" in (progress.text or "")
    assert h.emu.pinned(GROUP_ID) == [progress.message_id]

    before = len(h.emu.sent_messages(GROUP_ID))
    for code in ("BBT", "UBKT", "TCT"):
        await hand_in(h, code)
        await h.settle(quiet=0.2)
    # no new post in the group: the pinned message moved on, one edit per report
    assert len(h.emu.sent_messages(GROUP_ID)) == before
    [progress] = [m for m in h.emu.sent_messages(GROUP_ID) if "Tiến độ" in (m.text or "")]
    assert "Đã nộp báo cáo Đợt 1: 3/9" in (progress.text or "")
    assert [("Đợt 1: " + f"{k}/9") in str(v.get("text")) for k, v in
            enumerate(progress.versions)] == [True] * 4
    assert "Tự chấm" not in (progress.text or "")  # self-scores stay out of the group
    assert h.emu.pinned(GROUP_ID) == [progress.message_id]


async def test_a_bot_without_the_right_to_pin_still_edits(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    h.emu.add_group(GROUP_ID, "Khối thi đua 6", supergroup=True, members=[chair.user_id])
    await h.bind_group(chair)
    h.clock.set(PHASE_START)
    await run_reminders(h.app)
    await h.settle(quiet=0.3)
    assert h.emu.pinned(GROUP_ID) == []  # Telegram refused: the bot is no administrator
    await hand_in(h, "BBT")
    await h.settle(quiet=0.2)
    [progress] = [m for m in h.emu.sent_messages(GROUP_ID) if "Tiến độ" in (m.text or "")]
    assert "Đã nộp báo cáo Đợt 1: 1/9" in (progress.text or "")
    pins = [c for c in h.emu.calls if c.method == "pinChatMessage"]
    assert len(pins) == 1  # tried once, not at every edit
