"""End to end: registrations reach the chair as a digest with a button per person; one the
chair does not recognise is removed from the chat («🚫 Gỡ …», then «🚫 Gỡ đại diện này»),
not by a command on the server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.reminders import run_reminders
from tests.e2e.harness import BotHarness

pytestmark = pytest.mark.e2e


async def test_digest_gathers_registrations_and_the_chair_removes_one(
    harness: BotHarness,
) -> None:
    h = harness
    chair = await h.register("VPTU")
    first = await h.register("BTG")  # the first of a quiet hour: at once
    digests = [m for m in h.emu.sent_messages(chair.user_id) if "Tổng hợp mới" in (m.text or "")]
    assert len(digests) == 1 and "Đại diện BTG – Ban Tuyên giáo Tỉnh ủy" in (digests[0].text or "")
    assert first.unit_code == "BTG"
    token = await h.invite_token("BTC")
    intruder = h.person("Người lạ")
    await h.say(intruder, f"/start {token}")
    member = await h.register("BDV")
    await h.settle(quiet=0.2)
    # the next ones wait for the digest an hour after the first
    assert len([m for m in h.emu.sent_messages(chair.user_id)
                if "Tổng hợp mới" in (m.text or "")]) == 1
    h.clock.advance(timedelta(hours=1))
    await run_reminders(h.app)  # the bot's wake-up, as at that hour
    await h.settle(quiet=0.2)
    digest = [m for m in h.emu.sent_messages(chair.user_id)
              if "Tổng hợp mới" in (m.text or "")][-1]
    text = digest.text or ""
    assert "(2 mục)" in text and "Người lạ – Ban Tổ chức Tỉnh ủy" in text
    assert "Số đơn vị đã có đại diện trên Telegram: 4/9." in text
    assert [b["text"] for b in digest.buttons] == ["🚫 Gỡ Người lạ", "🚫 Gỡ Đại diện BDV"]

    # Only a chair (or the vice-chair, BTG) may remove: a member's forged press is refused
    own = h.emu.last_sent(member.user_id)
    await h.press(member, own, digest.button("Người lạ")["callback_data"])
    [refusal] = h.emu.callback_answers(member.user_id)
    assert "Chỉ Thường trực Khối" in (refusal.text or "") and refusal.show_alert

    mark = h.emu.mark()
    await h.press(chair, digest, digest.button("Người lạ")["callback_data"])
    ask = await h.emu.wait_for_message(chair.user_id, after=mark)
    assert "Gỡ <b>Người lạ</b> khỏi vai trò đại diện của <b>Ban Tổ chức Tỉnh ủy</b>?" in (
        ask.source_text or "")
    confirm = ask.button("Gỡ đại diện này")["callback_data"]
    await h.press(chair, ask, confirm)
    await h.settle(quiet=0.2)
    assert "Đã gỡ Người lạ khỏi vai trò đại diện của Ban Tổ chức Tỉnh ủy." in (
        h.emu.sent_messages(chair.user_id)[-1].text or "")
    told = h.texts(intruder.user_id)[-1]
    assert "không còn là đại diện của Ban Tổ chức Tỉnh ủy" in told
    answer = await h.say(intruder, "/status")
    assert "chưa được đăng ký" in (answer.text or "")
    # the confirmation now says what was done (its buttons gone); a replayed press: nothing
    assert not ask.buttons
    await h.press(chair, ask, confirm)
    assert "không còn là đại diện" in (h.emu.callback_answers(chair.user_id)[-1].text or "")
