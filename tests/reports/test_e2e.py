"""End to end through the emulator: fill, attach, submit, late, appraise, return, refuse."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import audit
from storage.reports.tables import evidence, reports
from tests.e2e.harness import GROUP_ID, BotHarness
from tests.reports.e2e_helpers import (
    FULL_LINES,
    answer_to,
    buttons,
    data_of,
    phase_and_criteria,
    press,
    say_expect,
    wait_text,
)

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n" + b"minh chung " * 50
JPEG = b"\xff\xd8\xff\xe0" + b"anh" * 40
# 20/06/2023 17:00 in Hanoi is the example block's phase 1 deadline.
AFTER_DUE = datetime(2023, 6, 21, 3, 0, tzinfo=UTC)


async def test_fill_by_form_and_lines_attach_evidence_and_submit(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU", "Chánh Văn phòng")
    await h.bind_group(chair)
    rep = await h.register("BBT", "Phóng viên Bình")
    form = await h.say(rep, "/report")
    text = form.text or ""
    assert "Báo cáo Đợt 1 · Báo Bình Thuận" in text
    assert "hạn nộp 17 giờ 00, ngày 20/6/2023" in text
    assert "⬜ I. Nhiệm vụ chính trị: 0/2" in text and "còn 7 tiêu chí chưa nhập" in text
    assert "TIEN_VAN_DONG" not in text and "BBT" not in text  # names, never codes

    # the overview opens a group's page; its criteria carry short names
    page = await press(h, rep, form, "I. Nhiệm vụ chính trị")
    assert page.message_id == form.message_id  # the same screen, edited in place
    assert "chỉ tiêu 200.000.000 đồng" in (page.text or "")
    # a criterion's question is a new message with a ForceReply prompt
    ask = await press(h, rep, page, "1. Hoàn thành nhiệm vụ chính trị")
    assert ask.message_id > page.message_id and "từ 0 đến 40" in (ask.text or "")
    assert ask.reply_markup == {"force_reply": True,
                                "input_field_placeholder": "Điểm tự chấm, từ 0 đến 40"}
    bad = await h.say(rep, "45")
    assert "phải từ 0 đến 40" in (bad.text or "")
    assert (bad.reply_markup or {}).get("force_reply")  # asked again, the keyboard opens
    saved = await h.say(rep, "35,5")
    assert "Đã lưu «Hoàn thành nhiệm vụ chính trị»: 35,5 điểm" in (saved.text or "")
    assert "I. Nhiệm vụ chính trị" in (saved.text or "")  # back on its page
    # «▶» to the next group; a yes/no answer by button, on the question that replaced it
    page = await press(h, rep, saved, "▶")
    assert "II. Phong trào thi đua" in (page.text or "")
    ask = await press(h, rep, page, "4. Tham gia đầy đủ hoạt động")
    after = await press(h, rep, ask, "Có")
    assert "Đã lưu «Tham gia đầy đủ hoạt động…»: Có" in (after.text or "")

    # CODE: value lines, some bad; what was saved is named, not coded
    lines = await h.say(
        rep, "TIEN_VAN_DONG: 1.833.468.000\nCHUYEN_DOI_SO: 120\nXYZ: 1\nKHEN_THUONG: 12")
    text = lines.text or ""
    assert "Đã lưu 2 giá trị" in text
    assert "• Số tiền vận động hỗ trợ cơ sở: 1.833.468.000 đồng" in text
    assert "Dòng 2" in text and "từ 0 đến 100%" in text
    assert "Dòng 3" in text and "không có tiêu chí nào mang mã này" in text

    # evidence: a photo and a document on criterion 2, an unsupported file refused
    first_page = data_of(lines, "I. Nhiệm vụ chính trị")
    page = await press(h, rep, lines, "I. Nhiệm vụ chính trị")
    ask = await press(h, rep, page, "2. Số tiền vận động")
    mark = h.emu.mark()
    h.emu.send_photo(rep.user_id, JPEG)
    got = await h.emu.wait_for_message(rep.user_id, after=mark,
                                       predicate=lambda m: "Đã nhận minh chứng" in (m.text or ""))
    assert "1 tệp" in (got.text or "")
    assert data_of(got, "⬅️ Về nhóm tiêu chí") == first_page
    mark = h.emu.mark()
    h.emu.send_document(rep.user_id, PDF, filename="bien-ban.pdf", mime_type="application/pdf")
    assert "2 tệp" in await wait_text(h, rep.user_id, "Đã nhận minh chứng", mark)
    mark = h.emu.mark()
    h.emu.send_document(rep.user_id, b"MZ\x90", filename="setup.exe",
                        mime_type="application/octet-stream")
    assert "không thuộc loại" in await wait_text(h, rep.user_id, "Tệp này", mark)
    stored = h.tmp_path / "evidence" / "KTD6-2023" / "DOT1" / "BBT"
    sha = hashlib.sha256(PDF).hexdigest()
    assert await asyncio.to_thread((stored / f"{sha}.pdf").read_bytes) == PDF

    # submit refused while values are missing, naming them
    form = await h.say(rep, "/report")
    assert "📎 2" in ((await press(h, rep, form, "I. Nhiệm vụ chính trị")).text or "")
    refused = await press(h, rep, form, "📋 Tổng quan")
    refused = await press(h, rep, refused, "📤")
    assert "Chưa thể nộp báo cáo" in (refused.text or "")
    missing = (refused.text or "").split("\n\n")[0]
    assert "6. Xây dựng tổ chức Đảng" in missing and "Sáng kiến" not in missing

    form = await h.say(
        rep, "CHUYEN_DOI_SO: 85,5\nXAY_DUNG_DANG: 9\nKET_QUA_NOI_BAT: Ra mắt chuyên mục mới")
    confirm = await press(h, rep, form, "📤")
    assert "Xác nhận nộp báo cáo Đợt 1" in (confirm.text or "")
    assert "trễ hạn" not in (confirm.text or "")
    mark = h.emu.mark()
    await press(h, rep, confirm, "✅")
    done = next(m for m in h.emu.sent_messages(rep.user_id)
                if m.message_id == confirm.message_id)
    assert "Đã nộp báo cáo Đợt 1" in (done.text or "")
    assert "(1/9 đơn vị đã nộp)" in (done.text or "")
    assert not any(label.startswith("📤") for label, _ in buttons(done))
    # the record of every value as submitted follows, in full
    record = "\n".join(m.text or "" for m in h.emu.sent_messages(rep.user_id)
                       if m.message_id > confirm.message_id)
    for value in ("35,5 điểm", "1.833.468.000 đồng", "85,5%", "Có", "12 điểm", "9 điểm",
                  "Ra mắt chuyên mục mới"):
        assert value in record, value
    assert "Số tiền vận động hỗ trợ cơ sở, người nghèo: 1.833.468.000 đồng" in record
    # (the chair hears of it in the digest: tests/digest)

    # locked: typing a value now changes nothing
    locked = await h.say(rep, "NV_CHINH_TRI: 10")
    assert "Báo cáo đã được nộp" in (locked.text or "")


async def test_late_report_appraisal_return_and_myreport(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    ubkt = await h.register("UBKT")
    bbt = await h.register("BBT")
    for rep in (ubkt, bbt):
        form = await h.say(rep, FULL_LINES)
        assert "Đã lưu 7 giá trị" in (form.text or "")
        assert "đã nhập đủ, có thể nộp" in (form.text or "")
    # BBT on time, UBKT late
    confirm = await press(h, bbt, form, "📤")
    await press(h, bbt, confirm, "✅")
    h.clock.set(AFTER_DUE)
    form = await h.say(ubkt, "/report")
    assert "sẽ được ghi nhận là nộp trễ hạn" in (form.text or "")
    confirm = await press(h, ubkt, form, "📤")
    assert "nộp trễ hạn" in (confirm.text or "")
    mark = h.emu.mark()
    await press(h, ubkt, confirm, "✅")
    assert "nộp trễ hạn" in (confirm.text or "")  # the screen, edited


    # the chair's overview and UBKT's report
    overview = await h.say(chair, "/review")
    text = overview.text or ""
    assert "Đã nộp: 2/9" in text and "UBKT – Ủy ban Kiểm tra Tỉnh ủy: đã nộp (trễ hạn)" in text
    assert "BTC – Ban Tổ chức Tỉnh ủy: chưa nộp" in text
    detail = await press(h, chair, overview, "UBKT")
    assert "tự chấm 35 điểm" in (detail.text or "")
    ask = await press(h, chair, detail, "✏️ 1. Hoàn thành nhiệm vụ chính trị")
    assert (ask.text or "").startswith("Ủy ban Kiểm tra Tỉnh ủy · Đợt 1")
    # the example in the question is one the criterion accepts (at most 40 points)
    assert "từ 0 đến 40 (ví dụ: 39,5)" in (ask.text or "")
    assert (ask.reply_markup or {}).get("force_reply")
    # lowering asks for the score, then the reason
    why = await h.say(chair, "30")
    assert "cần có lý do" in (why.text or "")
    assert (why.reply_markup or {}).get("input_field_placeholder") == "Lý do điều chỉnh điểm"
    adjusted = await h.say(chair, "Chưa đủ minh chứng")
    assert "Đã ghi điểm thẩm định" in (adjusted.text or "")
    assert "lý do: Chưa đủ minh chứng" in (adjusted.text or "")
    mark = h.emu.mark()
    accepted = await press(h, chair, adjusted, "✅ Chấp nhận và sang đơn vị tiếp theo")
    # 35 + 10 (150M of 100M, capped) + 9,5 + 15 + 12 + 9 = 90,5 self; 85,5 appraised
    assert "85,5" in (accepted.text or "") and "90,5" in (accepted.text or "")
    # …and straight on to the next report waiting: BBT's
    assert "Tiếp theo: báo cáo của Báo Bình Thuận" in (accepted.text or "")
    assert "85,5" in await wait_text(h, ubkt.user_id, "đã được thẩm định", mark)

    # the chair returns BBT's report; BBT corrects and resubmits
    overview = await h.say(chair, "/review")
    detail = await press(h, chair, overview, "BBT")
    ask = await press(h, chair, detail, "↩️ Trả lại")
    assert "lý do trả lại" in (ask.text or "")
    mark = h.emu.mark()
    returned = await h.say(chair, "Đề nghị bổ sung minh chứng số tiền vận động")
    assert "Đã trả lại báo cáo" in (returned.text or "")
    notice = await h.emu.wait_for_message(
        bbt.user_id, after=mark, predicate=lambda m: "trả lại" in (m.text or ""))
    assert "bổ sung minh chứng số tiền vận động" in (notice.text or "")
    form = await press(h, bbt, notice, "📝")
    assert "Thường trực Khối đã trả lại báo cáo" in (form.text or "")
    # past the deadline, but a returned report is not late: no warning on the form
    assert "trễ hạn" not in (form.text or "")
    form = await h.say(bbt, "TIEN_VAN_DONG: 200.000.000")
    confirm = await press(h, bbt, form, "📤")
    assert "trễ hạn" not in (confirm.text or "")  # lateness is decided at first submission
    await press(h, bbt, confirm, "✅")
    assert "Đã nộp lại báo cáo Đợt 1 sau khi chỉnh sửa" in (confirm.text or "")  # edited

    # /review done is refused while BBT waits; then finished and the hook is called
    called: list[str] = []

    async def hook(application: object, block: object, phase: object) -> None:
        called.append(getattr(phase, "code", ""))

    h.runtime.review_done.append(hook)
    pending = await say_expect(h, chair, "/review done", "hoàn tất thẩm định")
    assert "Chưa thể hoàn tất thẩm định Đợt 1" in (pending.text or "") and "BBT" in (
        pending.text or "")
    overview = await h.say(chair, "/review")
    detail = await press(h, chair, overview, "BBT")
    await press(h, chair, detail, "✅ Chấp nhận")
    finished = await say_expect(h, chair, "/review done", "hoàn tất thẩm định")
    assert "Đã hoàn tất thẩm định Đợt 1" in (finished.text or "")
    for _ in range(100):  # the hook runs right after the chair's confirmation is sent
        if called:
            break
        await asyncio.sleep(0.01)
    assert called == ["DOT1"]

    mine = (await h.say(ubkt, "/myreport")).text or ""
    assert "Đợt 1: đã thẩm định" in mine
    assert "Tự chấm: 90,5 điểm · Thẩm định: 85,5 điểm" in mine
    # why the score was cut, criterion by criterion
    assert "Điều chỉnh khi thẩm định:" in mine
    assert ("• Hoàn thành nhiệm vụ chính trị, chuyên môn được giao: tự chấm 35 → thẩm định "
            "30 điểm – lý do: Chưa đủ minh chứng") in mine
    assert "Đợt 2: chưa nộp" in mine and "Cả năm (tạm tính): 85,5 điểm" in mine
    theirs = (await h.say(bbt, "/myreport")).text or ""
    assert "Tự chấm: 90,5 điểm · Thẩm định: 90,5 điểm" in theirs
    assert "Điều chỉnh khi thẩm định" not in theirs


async def test_other_units_and_members_cannot_touch_a_report(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    bbt = await h.register("BBT")
    other = await h.register("BTC")
    outsider = h.person("Người ngoài")
    form = await h.say(bbt, FULL_LINES)
    confirm = await press(h, bbt, form, "📤")
    await press(h, bbt, confirm, "✅")
    async with h.db.read() as conn:
        report_id = (await conn.execute(select(reports.c.id))).scalar_one()
    phase_id, criteria = await phase_and_criteria(h)

    # a member's /review is refused; forged review presses are refused and audited
    assert "chỉ dành cho" in ((await h.say(other, "/review")).text or "")
    mine = await h.say(other, "/report")
    for data in (f"rv:a:{report_id}", f"rv:r:{report_id}", f"rv:u:{report_id}",
                 f"rv:c:{report_id}:{criteria['NV_CHINH_TRI']}"):
        await h.press(other, mine, data)
        assert "không có quyền" in answer_to(h, other)
    # presses carrying ids of no phase, or garbage, are refused too
    for data in ("rp:c:99999:1", "rp:o:abc", f"rp:y:{phase_id}:{criteria['NV_CHINH_TRI']}:1"):
        await h.press(other, mine, data)
        assert "không có quyền" in answer_to(h, other)
    # an outsider's press on a copy of the form
    h.emu.send_text(outsider.user_id, "xin chào")
    await h.emu.wait_idle(quiet=0.2)
    await h.press(outsider, mine, data_of(mine, "I. Nhiệm vụ chính trị"))
    async with h.db.read() as conn:
        forged = await audit.entries(conn, action="review.forged-press")
        forged += await audit.entries(conn, action="report.forged-press")
        state = (await conn.execute(select(reports.c.state))).scalar_one()
        files = (await conn.execute(select(evidence.c.id))).all()
    # one row per person, action and minute, counting the repeats (issue 26.9)
    assert sum(audit.repeats(e) for e in forged) == 8 and len(forged) < 8
    assert state == "submitted" and files == []
    # BTC's "CODE: value" lines only ever reach BTC's own report
    await h.say(other, "NV_CHINH_TRI: 1")
    async with h.db.read() as conn:
        rows = (await conn.execute(select(reports.c.unit_id, reports.c.state))).all()
    assert len(rows) == 2 and sorted(r.state for r in rows) == ["draft", "submitted"]
    # in the group the command points to the private chat
    await h.bind_group(chair)
    hint = await h.say(bbt, "/report", chat_id=GROUP_ID)
    assert "nhắn riêng" in (hint.text or "")


async def test_english_form_and_evidence_path(harness: BotHarness, tmp_path: Path) -> None:
    h = harness
    rep = await h.register("BDV")
    await h.say(rep, "/lang en")
    form = await h.say(rep, "/report")
    assert "Đợt 1 report · Ban Dân vận Tỉnh ủy" in (form.text or "")
    saved = await h.say(rep, "NV_CHINH_TRI: 35.5\nTIEN_VAN_DONG: 1,833,468,000")
    assert "Values saved (2)" in (saved.text or "") and "1,833,468,000 đồng" in (saved.text or "")
