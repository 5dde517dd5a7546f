"""End to end through the emulator: a notice to the group and the units, "received" presses
and the group counter, /announcements, reminders, content kinds, faults, deadlines, rights."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.outbox.sender import outbox_of
from bot.sandbox import actions
from bot.services.announce.nudges import handle_due_deadlines
from storage import audit
from storage import members as members_repo
from tests.announce.live import WAIT, Block, running_block
from tests.e2e.harness import GROUP_ID

pytestmark = pytest.mark.e2e

NOTICE = "Kính gửi các đơn vị: họp Khối lúc 8 giờ ngày 15/3."


def received_label(b: Block) -> str:
    return str(b.group_copy().buttons[0]["text"])


async def test_notice_acks_counter_list_and_nudge(tmp_path: Path) -> None:
    async with running_block(tmp_path) as b:
        panel = await b.compose(NOTICE)
        assert "nhóm của Khối và đại diện 8 đơn vị (8 người)" in (panel.text or "")
        await b.send(panel)
        group = b.group_copy()
        assert NOTICE in (group.text or "") and "Văn phòng Tỉnh ủy (Khối trưởng)" in group.text
        assert received_label(b) == "✅ Đã nhận: 0/8"
        for code, rep in b.reps.items():
            texts = [m.text or "" for m in b.emu.sent_messages(rep.user_id)]
            # each unit once; the chair saw the preview instead of a copy
            assert sum(NOTICE in t for t in texts) == 1, code
        for code in ("BTG", "UBKT", "BDV", "DUK", "BTC"):
            await b.press(b.reps[code], b.copy_for(b.reps[code]), "Đã nhận")
        # again, on the button that now reads «✅ Đại diện UBKT, time»: a no-op
        await b.press(b.reps["UBKT"], b.copy_for(b.reps["UBKT"]), "✅")
        assert "đã xác nhận trước đó" in (b.emu.callback_answers()[-1].text or "")
        await asyncio.sleep(0.8)  # the group counter is edited at most every 0.3 s here
        assert received_label(b) == "✅ Đã nhận: 5/8"
        # name and a short time ("14:25 20/03", no year): it fits a button on a phone
        acked = b.copy_for(b.reps["BTG"]).buttons[0]["text"]
        assert re.fullmatch(r"✅ Đại diện BTG, \d\d:\d\d \d\d/\d\d", acked), acked
        progress = next(m for m in b.emu.sent_messages(b.chair.user_id)
                        if "Đã gửi xong thông báo số 1" in (m.text or ""))
        assert "9/9 tin nhắn gửi thành công" in (progress.text or "")
        # the basis of the count: the units asked, not the sending chair
        assert ("Đã nhận: 5/8 đơn vị được đề nghị xác nhận (không tính đơn vị gửi thông báo)"
                in (progress.text or ""))

        listing = await b.h.say(b.chair, "/announcements")
        assert "#1" in (listing.text or "") and "Đã nhận: 5/8 đơn vị" in (listing.text or "")
        mark = b.emu.mark()
        await b.press(b.chair, listing, "#1")
        detail = await b.emu.wait_for_message(b.chair.user_id, after=mark, timeout=WAIT)
        assert "Chưa xác nhận (3): TCT, BNC, BBT" in (detail.text or "")
        assert "Đã gửi thành công: 9/9 tin nhắn." in (detail.text or "")
        assert "Đã nhận: 5/8 đơn vị được đề nghị xác nhận" in (detail.text or "")

        mark = b.emu.mark()
        await b.press(b.chair, detail, "Nhắc lại (3)")
        await b.idle()
        done = await b.emu.wait_for_message(b.chair.user_id, after=mark, timeout=WAIT)
        assert "3 đại diện của 3 đơn vị" in (done.text or "")
        for code, rep in b.reps.items():
            nudged = [m for m in b.emu.sent_messages(rep.user_id) if "Nhắc lại" in (m.text or "")]
            assert len(nudged) == (1 if code in ("TCT", "BNC", "BBT") else 0), code
        await b.press(b.chair, detail, "Nhắc lại")  # a second press soon after: refused
        assert "Đã nhắc lúc" in (b.emu.callback_answers()[-1].text or "")

        # the nudge carries the same button: pressing it confirms the unit
        tct = b.reps["TCT"]
        await b.press(tct, b.emu.sent_messages(tct.user_id)[-1], "Đã nhận")
        mark = b.emu.mark()
        await b.press(b.chair, detail, "Xem danh sách")
        table = await b.emu.wait_for_message(b.chair.user_id, after=mark, timeout=WAIT)
        assert "<b>" not in (table.text or "")
        assert "TCT – Trường Chính trị tỉnh" in (table.text or "")
        assert "✅" in (table.text or "").split("TCT")[1].split("BNC")[0]
        assert (table.text or "").split("BBT")[1].count("chưa") == 1


async def test_formatting_photo_and_document_reach_everyone(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT", "BDV")) as b:
        emu, chair = b.emu, b.chair
        await b.compose_prompt()
        text = "Kính gửi các đơn vị: hạn nộp báo cáo là ngày 20/6. Xem hướng dẫn."
        mark = emu.mark()
        chat = emu.world.chats[chair.user_id]
        # The emulator's users type plain text; this one formats it as a Telegram client would.
        actions._push_message(emu.world, emu.user(chair.user_id), chat, {
            "text": text,
            "entities": [{"type": "bold", "offset": text.index("ngày 20/6"), "length": 9},
                         {"type": "text_link", "offset": text.index("hướng dẫn"), "length": 9,
                          "url": "https://example.org/hd"}],
        }, text)
        panel = await b.panel_after(mark)
        await b.send(panel)
        copy = b.copy_for(b.reps["UBKT"])
        kinds = {e["type"] for e in copy.message.get("entities", [])}
        assert {"bold", "text_link"} <= kinds
        assert "<b>ngày 20/6</b>" in (copy.source_text or "")
        assert '<a href="https://example.org/hd">hướng dẫn</a>' in (copy.source_text or "")

        await b.compose_prompt()
        mark = emu.mark()
        emu.send_photo(chair.user_id, b"\x89PNG fake", caption="Ảnh hội nghị sơ kết")
        panel = await b.panel_after(mark)
        await b.send(panel)
        photo = b.emu.last_sent(b.reps["BDV"].user_id)
        assert photo.kind == "photo" and "Ảnh hội nghị sơ kết" in (photo.caption or "")
        assert photo.buttons[0]["text"] == "✅ Đã nhận"

        await b.compose_prompt()
        mark = emu.mark()
        emu.send_document(chair.user_id, b"%PDF-1.4 ke hoach", filename="ke-hoach.pdf",
                          mime_type="application/pdf", caption="Kế hoạch hoạt động năm 2023")
        panel = await b.panel_after(mark)
        await b.send(panel)
        for code in ("UBKT", "BDV"):
            doc = b.emu.last_sent(b.reps[code].user_id)
            assert doc.kind == "document" and doc.file_bytes == b"%PDF-1.4 ke hoach"
            assert "Kế hoạch hoạt động" in (doc.caption or "")
        assert b.emu.last_sent(GROUP_ID).kind == "document"


async def test_long_notice_is_split_with_the_button_on_the_last_part(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT")) as b:
        body = "\n\n".join(f"Mục {i}. " + "Nội dung hướng dẫn chi tiết. " * 40 for i in range(6))
        await b.send(await b.compose(body))
        parts = [m for m in b.emu.sent_messages(b.reps["UBKT"].user_id) if "Mục" in (m.text or "")]
        assert len(parts) == 2 and all(len(p.text or "") <= 4096 for p in parts)
        assert not parts[0].buttons and parts[1].buttons[0]["text"] == "✅ Đã nhận"
        assert "Mục 5." in (parts[1].text or "")


async def test_429_403_and_502_lose_nothing_else(tmp_path: Path) -> None:
    async with running_block(tmp_path) as b:
        blocked = b.reps["BDV"]
        b.emu.block_bot(blocked.user_id)
        panel = await b.compose(NOTICE)
        # From here on every sendMessage is the outbox's: the faults hit the broadcast.
        b.emu.inject_fault("sendMessage", "429", times=2, retry_after=1)
        b.emu.inject_fault("sendMessage", "502", times=3)
        await b.send(panel)
        for code, rep in b.reps.items():
            if code in ("VPTU", "BDV"):
                continue
            texts = [m.text or "" for m in b.emu.sent_messages(rep.user_id)]
            assert sum(NOTICE in t for t in texts) == 1, code
        assert sum(NOTICE in (m.text or "") for m in b.emu.sent_messages(GROUP_ID)) == 1
        chair_texts = [m.text or "" for m in b.emu.sent_messages(b.chair.user_id)]
        progress = next(t for t in chair_texts if "Đã gửi xong thông báo số 1" in t)
        assert "8/9 tin nhắn gửi thành công" in progress
        assert "Đại diện BDV (BDV) – đã chặn bot hoặc chưa mở bot" in progress
        assert sum("Không gửi được tin nhắn cho" in t for t in chair_texts) == 1
        fired = {kind for _, kind in b.emu.faults.fired}
        assert {"429", "502"} <= fired
        async with b.h.db.read() as conn:
            member = await members_repo.get_membership(conn, 1, blocked.user_id)
        assert member is not None and member.unreachable_since is not None
        await b.h.say(blocked, "/status")  # writing to the bot unblocks it
        async with b.h.db.read() as conn:
            member = await members_repo.get_membership(conn, 1, blocked.user_id)
        assert member is not None and member.unreachable_since is None


async def test_deadline_reminds_once_and_tells_the_chair(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT", "BDV", "TCT")) as b:
        panel = await b.compose(NOTICE)
        await b.press(b.chair, panel, "1 ngày")
        panel = b.emu.sent_messages(b.chair.user_id)[-1]
        assert "Hạn xác nhận: 09:00 02/02/2023" in (panel.text or "")
        await b.send(panel)
        assert "trước 09:00 02/02/2023" in (b.copy_for(b.reps["UBKT"]).text or "")
        await b.press(b.reps["UBKT"], b.copy_for(b.reps["UBKT"]), "Đã nhận")
        runtime = b.h.runtime
        assert await handle_due_deadlines(runtime.db, runtime.clock, runtime.texts) == []
        b.h.clock.advance(timedelta(days=1, minutes=1))
        assert await handle_due_deadlines(runtime.db, runtime.clock, runtime.texts) == [1]
        assert await handle_due_deadlines(runtime.db, runtime.clock, runtime.texts) == []
        outbox_of(b.h.app).wake()
        await b.idle()
        for code in ("BDV", "TCT"):
            last = b.emu.last_sent(b.reps[code].user_id)
            assert "Đã hết hạn xác nhận" in (last.text or "") and last.buttons
        assert "Đã hết hạn" not in (b.emu.last_sent(b.reps["UBKT"].user_id).text or "")
        report = b.emu.last_sent(b.chair.user_id).text or ""
        assert "1/8 đơn vị đã nhận" in report
        assert "Chưa xác nhận: BTG, BDV, DUK, BTC, TCT, BNC, BBT" in report


async def test_outsiders_and_other_units_cannot_confirm(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT", "BDV")) as b:
        panel = await b.compose(NOTICE)
        await b.press(b.chair, panel, "Chọn đơn vị")
        picker = b.emu.sent_messages(b.chair.user_id)[-1]
        await b.press(b.chair, picker, "UBKT")
        await b.press(b.chair, b.emu.sent_messages(b.chair.user_id)[-1], "Xong")
        panel = b.emu.sent_messages(b.chair.user_id)[-1]
        assert "các đơn vị đã chọn: UBKT (1 người)" in (panel.text or "")
        await b.send(panel)
        assert not any(NOTICE in (m.text or "") for m in b.emu.sent_messages(GROUP_ID))
        assert not any(NOTICE in (m.text or "")
                       for m in b.emu.sent_messages(b.reps["BDV"].user_id))
        bdv = b.reps["BDV"]
        await b.press(bdv, b.emu.last_sent(bdv.user_id), "an:ack:1", forged=True)
        outsider = b.h.person("Người ngoài")
        await b.h.say(outsider, "/start")
        await b.press(outsider, b.emu.last_sent(outsider.user_id), "an:ack:1", forged=True)
        answers = b.emu.callback_answers()
        assert all("Chỉ đại diện các đơn vị" in (a.text or "") for a in answers[-2:])
        async with b.h.db.read() as conn:
            refused = await audit.entries(conn, action="announce.ack-refused")
        assert {e.actor_tg_id for e in refused} == {bdv.user_id, outsider.user_id}


async def test_cancel_and_a_double_tap_on_send(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT")) as b:
        panel = await b.compose(NOTICE)
        await b.press(b.chair, panel, "Hủy")
        assert "Đã hủy" in (b.emu.sent_messages(b.chair.user_id)[-1].text or "")
        panel = await b.compose(NOTICE)
        b.emu.press_button_text(b.chair.user_id, panel, "Gửi")
        b.emu.press_button_text(b.chair.user_id, panel, "Gửi")
        await b.emu.wait_for_calls("answerCallbackQuery", count=3, timeout=WAIT)
        await b.idle()
        texts = [m.text or "" for m in b.emu.sent_messages(b.reps["UBKT"].user_id)]
        assert sum(NOTICE in t for t in texts) == 1


async def test_a_group_that_became_a_supergroup_is_followed(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT")) as b:
        b.emu.world.chats[GROUP_ID].migrated_to = -100_999  # as Telegram answers after it
        b.emu.add_group(-100_999, "Khối thi đua 6", supergroup=True,
                        members=[p.user_id for p in b.reps.values()])
        await b.send(await b.compose(NOTICE))
        assert any(NOTICE in (m.text or "") for m in b.emu.sent_messages(-100_999))
        async with b.h.db.read() as conn:
            from storage import blocks as blocks_repo

            block = await blocks_repo.get_block(conn, 1)
        assert block is not None and block.group_chat_id == -100_999
