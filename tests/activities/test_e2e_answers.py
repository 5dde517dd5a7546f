"""End to end: an activity from the block file is announced (group card, invitations with
a calendar file), units answer on their copies and on the card, one changes its mind, two
representatives of one unit answer at once, forged and outside presses are refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.services.activities import callbacks
from bot.services.activities.calendar import parse_dtstart
from storage import activities as repo
from storage import audit
from tests.activities.conftest import block_with_activity
from tests.activities.flow import local, running_block
from tests.e2e.harness import GROUP_ID

pytestmark = pytest.mark.e2e

TITLE = "Giao lưu thể dục, thể thao chào mừng Quốc khánh 2/9"


async def test_announce_answer_change_and_race(tmp_path: Path) -> None:
    async with running_block(tmp_path, block_with_activity(tmp_path)) as b:
        await b.at(local(2023, 2, 1, 9, 0))
        card = b.card()
        assert TITLE in (card.text or "") and "0/9 đơn vị đã trả lời" in (card.text or "")
        assert "Chưa trả lời" not in (card.text or "")  # answer_by is months away
        assert [x["text"] for x in card.buttons] == ["✅ Tham gia", "❌ Không tham gia"]
        assert "Hạn đăng ký tham gia: 17 giờ 00, ngày 20/8/2023" in (card.text or "")
        for code, rep in b.reps.items():
            invitation = b.invitation(rep)
            assert "Kính gửi: " in (invitation.text or ""), code
            ics = next(m for m in b.emu.sent_messages(rep.user_id) if m.kind == "document")
            assert ics.file_bytes is not None
            start = parse_dtstart(ics.file_bytes)
            assert start == local(2023, 8, 25, 7, 30) and start.utcoffset() == timedelta(hours=7)
        # an overlapping wake-up sends nothing twice
        await b.at(local(2023, 2, 1, 9, 1))
        assert len(b.cards()) == 1

        # yes on the private copy, then the people count and names
        btg = b.reps["BTG"]
        await b.press(btg, b.invitation(btg), "Tham gia")
        assert "bao nhiêu người" in (b.last(btg).text or "")
        await b.press(btg, b.last(btg), "5")
        assert "họ tên" in (b.last(btg).text or "")
        await b.say(btg, "Nguyễn Văn A\nTrần Thị B")
        assert "đã được ghi nhận" in (b.last(btg).text or "")
        assert "5 người" in (b.invitation(btg).text or "")
        assert "Nguyễn Văn A, Trần Thị B" in (b.invitation(btg).text or "")

        # on the group card: the answer is recorded and the rest asked in private
        duk = b.reps["DUK"]
        await b.press_data(duk, card, callbacks.group_answer(1, True), chat_id=GROUP_ID)
        assert "tin nhắn riêng" in b.answers(duk)[-1] or "Đã ghi nhận" in b.answers(duk)[-1]
        assert "bao nhiêu người" in (b.last(duk).text or "")
        await b.say(duk, "12")
        await b.press(duk, b.last(duk), "Bỏ qua")
        # a second press on the card for a unit that has answered: change it in private
        await b.press_data(duk, card, callbacks.group_answer(1, False), chat_id=GROUP_ID)
        assert "đã trả lời" in b.answers(duk)[-1]

        # «Không tham gia» on the card: the reason is asked in private
        btc = b.reps["BTC"]
        await b.press_data(btc, card, callbacks.group_answer(1, False), chat_id=GROUP_ID)
        assert "tin nhắn riêng" in b.answers(btc)[-1]
        assert "lý do" in (b.last(btc).text or "")
        await b.say(btc, "Đơn vị tổ chức hội nghị cùng ngày")
        assert "không tham gia" in (b.invitation(btc).text or "")

        # not coming: a reason is required
        bdv = b.reps["BDV"]
        await b.press(bdv, b.invitation(bdv), "Không tham gia")
        assert "lý do" in (b.last(bdv).text or "")
        await b.say(bdv, "   ")
        assert "không được để trống" in (b.last(bdv).text or "")
        await b.say(bdv, "Trùng lịch tiếp đoàn công tác của Trung ương")
        assert "không tham gia" in (b.invitation(bdv).text or "")

        # a unit changes its mind: yes, then no with a reason
        tct = b.reps["TCT"]
        await b.press(tct, b.invitation(tct), "Tham gia")
        await b.press(tct, b.last(tct), "3")
        await b.press(tct, b.last(tct), "Bỏ qua")
        await b.press(tct, b.invitation(tct), "Không tham gia")
        await b.say(tct, "Cán bộ đi học tập trung")
        assert "không tham gia" in (b.invitation(tct).text or "")

        # two representatives of one unit answer at once: one answer kept, both told
        first = b.reps["UBKT"]
        second = await b.h.register("UBKT", "Phó Chủ nhiệm UBKT")
        # registered after the announcement, they open it from /activities
        listing = await b.say(second, "/activities")
        assert TITLE in (listing.text or "") and "Sắp diễn ra" in (listing.text or "")
        await b.press(second, listing, "1")
        detail = b.last(second)
        assert "Đơn vị chưa trả lời" in (detail.text or "")
        mark = b.emu.mark()
        b.emu.press_button_text(first.user_id, b.invitation(first), "Tham gia")
        b.emu.press_button_text(second.user_id, detail, "Không tham gia")
        await b.emu.wait_for_calls("answerCallbackQuery", count=2, after=mark, timeout=20)
        await b.idle()
        told = b.answers(second)[-1]
        assert "vừa được" in told and "chưa được ghi" in told
        assert "bao nhiêu người" in (b.last(first).text or "")
        async with b.h.db.read() as conn:
            answers = await repo.answers_of(conn, 1)
        assert answers[b.unit_ids["UBKT"]].answer == "yes"

        # refused: a person outside the block, another unit's copy
        outsider = b.h.person("Người lạ")
        b.emu.set_member_status(GROUP_ID, outsider.user_id, "member")
        await b.press_data(outsider, card, callbacks.group_answer(1, True), chat_id=GROUP_ID)
        assert "không dành cho anh/chị" in b.answers(outsider)[-1]
        bnc = b.reps["BNC"]
        await b.press_data(bnc, b.invitation(bnc).message_id,
                           callbacks.own_answer(1, b.unit_ids["BBT"], 0, True))
        assert "không dành cho anh/chị" in b.answers(bnc)[-1]
        async with b.h.db.read() as conn:
            refused = [e.action for e in await audit.entries(conn)
                       if e.action.startswith("activity.refused")]
            answered = [e for e in await audit.entries(conn, action="activity.answer")]
        assert set(refused) == {"activity.refused-outsider", "activity.refused-other-unit"}
        assert len(answered) >= 8

        # the card's counter was edited in place, never posted again
        card = b.card()
        assert len(b.cards()) == 1
        assert "6/9 đơn vị đã trả lời" in (card.text or ""), card.text
        assert "3 tham gia · 3 vắng" in (card.text or "")
        assert card.versions and len(card.versions) > 1
