"""End to end through the emulator with two chairs (issue 26.6): both preview the
covenant, the first publishes, and the second's confirmation sends nothing again but says
who published, and when."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sandbox import SentMessage
from storage import audit
from tests.e2e.harness import BotHarness, Person

pytestmark = pytest.mark.e2e

WAIT = 15.0


async def preview(h: BotHarness, chair: Person) -> SentMessage:
    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, "/covenant publish")
    return await h.emu.wait_for_message(
        chair.user_id, after=mark, timeout=WAIT,
        predicate=lambda m: any("Phát hành" in str(b.get("text")) for b in m.buttons))


async def test_a_second_chairs_old_preview_publishes_nothing(harness: BotHarness) -> None:
    h = harness
    chair_a = await h.register("VPTU", "Nguyễn Văn An")
    chair_b = await h.register("VPTU", "Trần Thị Bình")
    ubkt = await h.register("UBKT")
    seen_a, seen_b = await preview(h, chair_a), await preview(h, chair_b)
    h.clock.set(h.clock.now() + timedelta(minutes=7))  # 09:07 in Hanoi
    await h.press(chair_a, seen_a, seen_a.button("Phát hành")["callback_data"])
    await h.emu.wait_idle(timeout=WAIT)
    copies = sum("GIAO ƯỚC" in t.upper() for t in h.texts(ubkt.user_id))
    assert copies >= 1
    await h.press(chair_b, seen_b, seen_b.button("Phát hành")["callback_data"])
    await h.emu.wait_idle(timeout=WAIT)
    told = seen_b.text or ""  # the preview's last message now says what happened
    assert "Chưa phát hành" in told
    assert ("Nguyễn Văn An (Văn phòng Tỉnh ủy) đã phát hành giao ước (phiên bản 1) lúc "
            "01/02/2023 09:07") in told
    assert sum("GIAO ƯỚC" in t.upper() for t in h.texts(ubkt.user_id)) == copies
    async with h.db.read() as conn:
        assert len(await audit.entries(conn, action="covenant.published")) == 1
    assert not list(h.runtime.failed_updates)
