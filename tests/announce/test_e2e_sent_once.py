"""End to end (issue 26.6): «Gửi» pressed twice on one panel, as a double tap or from the
chair's second screen, sends the notice once; the second press is told who sent it, and
when."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.announce.live import WAIT, running_block

pytestmark = pytest.mark.e2e

NOTICE = "Kính gửi các đơn vị: họp Khối lúc 8 giờ ngày 15/3."


async def test_the_second_send_says_who_sent_and_when(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT")) as b:
        panel = await b.compose(NOTICE)
        mark = b.emu.mark()
        b.emu.press_button_text(b.chair.user_id, panel, "Gửi")
        b.emu.press_button_text(b.chair.user_id, panel, "Gửi")
        await b.emu.wait_for_calls("answerCallbackQuery", count=2, after=mark, timeout=WAIT)
        await b.idle()
        texts = [m.text or "" for m in b.emu.sent_messages(b.reps["UBKT"].user_id)]
        assert sum(NOTICE in t for t in texts) == 1
        second = b.emu.callback_answers(b.chair.user_id)[-1].text or ""
        assert "đã được Đại diện VPTU (Văn phòng Tỉnh ủy) gửi lúc 01/02/2023 09:00" in second
        assert second.startswith("Thông báo số 1 ")
        assert len(second) <= 200
