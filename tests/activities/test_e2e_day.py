"""End to end: reminders reach only the units that have not answered, the card names them
near answer_by, answers close at answer_by (the chair gets the list), attendance is taken
and fills the scoring table of the phase (seen in /report, refused to overwrite, in
/ranking's figures and in /export's sheet)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.services.activities import callbacks
from bot.services.ranking.export import load_export
from bot.services.reports.entry import open_report
from storage import audit
from storage import blocks as blocks_repo
from tests.activities.conftest import block_with_activity
from tests.activities.flow import Block, local, running_block

pytestmark = pytest.mark.e2e

TITLE = "Giao lưu thể dục, thể thao chào mừng Quốc khánh 2/9"


async def _answer_all_but(b: Block, silent: str, absent: str) -> None:
    for code, rep in b.reps.items():
        if code == silent:
            continue
        if code == absent:
            await b.press(rep, b.invitation(rep), "Không tham gia")
            await b.say(rep, "Trùng lịch công tác")
            continue
        await b.press(rep, b.invitation(rep), "Tham gia")
        await b.press(rep, b.last(rep), "4")
        await b.press(rep, b.last(rep), "Bỏ qua")


async def test_reminders_close_attendance_and_scoring(tmp_path: Path) -> None:
    async with running_block(tmp_path, block_with_activity(tmp_path)) as b:
        await b.at(local(2023, 2, 1, 9, 0))
        await _answer_all_but(b, silent="BBT", absent="BDV")
        assert "8/9 đơn vị đã trả lời: 7 tham gia · 1 vắng" in (b.card().text or "").replace(
            "</b>", "")
        assert "Chưa trả lời" not in (b.card().text or "")

        # 2 days before answer_by (08:00 on 18/8): a reminder to BBT only
        before = {code: len(b.emu.sent_messages(rep.user_id)) for code, rep in b.reps.items()}
        await b.at(local(2023, 8, 18, 8, 0))
        for code, rep in b.reps.items():
            new = b.emu.sent_messages(rep.user_id)[before[code]:]
            reminded = [m for m in new if "Nhắc đăng ký" in (m.text or "")]
            assert len(reminded) == (1 if code == "BBT" else 0), code
        reminder = b.last(b.reps["BBT"])
        assert "còn 2 ngày" in (reminder.text or "") and len(reminder.buttons) == 2
        # now the card names who is missing; still one phone screen
        card = b.card().text or ""
        assert "Chưa trả lời (1): Báo Bình Thuận" in card
        assert len(card) <= 1000 and len(card.splitlines()) <= 20, card

        # answer_by passes: the chair gets the list, presses are refused with the time
        await b.at(local(2023, 8, 20, 17, 0))
        closed = [m for m in b.emu.sent_messages(b.chair.user_id)
                  if "Hết hạn đăng ký" in (m.text or "")]
        assert len(closed) == 1 and "Chưa trả lời (1): Báo Bình Thuận" in (closed[0].text or "")
        assert "Tham gia: 7 đơn vị (28 người)" in (closed[0].text or "")
        assert b.card().buttons == [] and "Đã hết hạn đăng ký" in (b.card().text or "")
        bbt = b.reps["BBT"]
        await b.press(bbt, reminder, "Tham gia")
        assert "Đã hết hạn đăng ký lúc 17 giờ 00, ngày 20/8/2023" in b.answers(bbt)[-1]

        # on the day: a representative checks in with a photo, the chair takes attendance
        await b.at(local(2023, 8, 24, 8, 0))  # the day before, at the block's hour
        await b.at(local(2023, 8, 25, 7, 0))  # 2 hours before is 05:30: quiet until 07:00
        await b.at(local(2023, 8, 25, 7, 45))
        coming = [m for m in b.emu.sent_messages(b.reps["BTG"].user_id)
                  if "Nhắc lịch" in (m.text or "")]
        assert len(coming) == 2
        assert "tại Nhà thi đấu tỉnh Bình Thuận" in (coming[0].text or "")
        assert [x["text"] for x in coming[-1].buttons] == ["📷 Điểm danh"]
        assert not any("Nhắc lịch" in (m.text or "")
                       for m in b.emu.sent_messages(b.reps["BDV"].user_id))  # not coming
        btc = b.reps["BTC"]
        await b.press_data(btc, b.invitation(btc).message_id, callbacks.checkin(1))
        assert "gửi một ảnh" in (b.last(btc).text or "")
        mark = b.emu.mark()
        b.emu.send_photo(btc.user_id, b"\xff\xd8\xff\xe0 check-in photo")
        await b.emu.wait_for_message(btc.user_id, after=mark, timeout=20)
        assert "Đã điểm danh" in (b.last(btc).text or "")
        listing = await b.say(b.chair, "/activities")
        await b.press(b.chair, listing, "1")
        detail = b.last(b.chair)
        assert "Chưa trả lời (1): BBT" in (detail.text or "")
        await b.press(b.chair, detail, "Điểm danh các đơn vị")
        sheet = b.last(b.chair)
        labels = [x["text"] for x in sheet.buttons]
        assert "✅ BTC 📷" in labels and "⬜ BDV" in labels and "⬜ BBT" in labels
        assert "Có mặt: 7/9" in (sheet.text or "")
        await b.press(b.chair, sheet, "✅ TCT")  # TCT said yes but did not come
        assert "⬜ TCT" in [x["text"] for x in b.last(b.chair).buttons]
        await b.press(b.chair, b.last(b.chair), "Lưu điểm danh")
        saved = b.last(b.chair)
        assert "6/9 đơn vị có mặt" in (saved.text or "") and "Đợt 2" in (saved.text or "")

        # the criterion is filled in phase 2's reports: "Có" for who came, "Không" else
        async with b.h.db.read() as conn:
            block = await blocks_repo.get_block_by_code(conn, b.h.spec.code)
            assert block is not None
            tree = await blocks_repo.load_tree(conn, block)
            entries = await audit.entries(conn, action="report.value")
        criterion = next(c for c in tree.criteria if c.code == "HOAT_DONG_CHUNG")
        for unit in tree.units:
            view = await open_report(b.h.db, b.h.clock, block=block, unit=unit,
                                     phase_code="DOT2")
            assert view is not None
            value = view.values[criterion.id].self_value
            expected = "no" if unit.code in ("TCT", "BDV", "BBT") else "yes"
            assert value == expected, unit.code
            assert TITLE in view.from_attendance[criterion.id]
        filled = [e for e in entries if (e.subject or "").endswith("/DOT2/HOAT_DONG_CHUNG")]
        assert len(filled) == 9 and {e.actor_tg_id for e in filled} == {b.chair.user_id}

        # the unit sees it marked in /report and cannot overwrite it
        tct = b.reps["TCT"]
        form = await b.say(tct, "/report DOT2")
        await b.press(tct, form, "II. Phong trào thi đua")
        page = b.last(tct)
        assert "Không (0 điểm) (từ điểm danh)" in (page.text or ""), page.text
        refused = await b.say(tct, "HOAT_DONG_CHUNG: có")
        assert "điểm danh hoạt động chung" in (refused.text or "")
        view = await open_report(b.h.db, b.h.clock, block=block,
                                 unit=next(u for u in tree.units if u.code == "TCT"),
                                 phase_code="DOT2")
        assert view is not None and view.values[criterion.id].self_value == "no"

        # the scoring (what /ranking and /export read) counts it; the export has the sheet
        data = await load_export(b.h.db, block, b.h.clock.now())
        phase2 = next(r for r in data.phases if r.period.phase and r.period.phase.code == "DOT2")
        by_code = {s.unit.code: s for s in phase2.standings}
        assert by_code["BTG"].criteria[criterion.id].self_points == 15
        assert by_code["TCT"].criteria[criterion.id].self_points == 0
        mark = b.emu.mark()
        b.emu.send_text(b.chair.user_id, "/export")
        document = await b.emu.wait_for_message(b.chair.user_id, after=mark, timeout=30,
                                                predicate=lambda m: m.kind == "document")
        assert document.file_bytes is not None
        workbook = load_workbook(io.BytesIO(document.file_bytes))
        sheet_rows = list(workbook["Hoạt động chung"].iter_rows(values_only=True))
        rows = [r for r in sheet_rows if r and r[0] == TITLE]
        assert len(rows) == 9
        bdv_row = next(r for r in rows if str(r[2]).startswith("BDV"))
        assert bdv_row[3] == "Không tham gia" and bdv_row[5] == "Không"
        assert bdv_row[6] == "Trùng lịch công tác"
        btg_row = next(r for r in rows if str(r[2]).startswith("BTG"))
        assert btg_row[3] == "Tham gia" and btg_row[4] == 4 and btg_row[5] == "Có"
