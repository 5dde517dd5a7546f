"""End to end: the chair's /activity new wizard with bad input at every step, a restart in
the middle of it, the preview and the announcement; the reminders it planned survive a
restart and reach only the units that have not answered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.activities import callbacks
from storage import blocks as blocks_repo
from storage.activities import plan as plan_repo
from tests.activities.conftest import block_with_activity
from tests.activities.flow import local, running_block
from tests.e2e.harness import GROUP_ID

pytestmark = pytest.mark.e2e


async def test_wizard_bad_input_restart_and_reminders(tmp_path: Path) -> None:
    async with running_block(tmp_path, block_with_activity(tmp_path, "")) as b:
        chair, member = b.chair, b.reps["UBKT"]
        assert "Khối trưởng" in ((await b.say(member, "/activity new")).text or "")
        assert "/activity new" in ((await b.say(chair, "/activity")).text or "")
        in_group = await b.h.say(chair, "/activity new", chat_id=GROUP_ID)
        assert "tin nhắn riêng" in (in_group.text or "")

        assert "bước 1/6" in ((await b.say(chair, "/activity new")).text or "")
        too_long = await b.say(chair, "Hội thao " * 30)
        assert "quá dài" in (too_long.text or "")
        kind = await b.say(chair, "Tọa đàm chuyển đổi số trong cơ quan Đảng")
        assert "bước 2/6" in (kind.text or "")
        await b.press(chair, kind, "Hội thảo, tọa đàm")
        assert "bước 3/6" in (b.last(chair).text or "")

        # a restart in the middle: the draft is in the database, typing goes on
        await b.h.stop_bot()
        await b.h.start_bot()
        assert "Chưa đọc được" in ((await b.say(chair, "ngày mai")).text or "")
        assert "đã qua" in ((await b.say(chair, "15/01/2023 08:00")).text or "")
        assert "Giờ kết thúc" in ((await b.say(chair, "15/03/2023 08:00-07:00")).text or "")
        place = await b.say(chair, "15/03/2023 08:00-11:00")
        assert "bước 4/6" in (place.text or "")
        await b.press(chair, place, "Bỏ qua")
        assert "bước 5/6" in (b.last(chair).text or "")
        after = await b.say(chair, "16/03/2023")
        assert "trước khi hoạt động bắt đầu" in (after.text or "")
        criterion = await b.say(chair, "10/03/2023")
        assert "bước 6/6" in (criterion.text or "")
        assert {x["text"] for x in criterion.buttons} >= {"HOAT_DONG_CHUNG", "TIEN_VAN_DONG"}
        assert "NV_CHINH_TRI" not in {x["text"] for x in criterion.buttons}  # a score
        async with b.h.db.read() as conn:
            block = await blocks_repo.get_block_by_code(conn, b.h.spec.code)
            assert block is not None
            tree = await blocks_repo.load_tree(conn, block)
        score = next(c for c in tree.criteria if c.code == "NV_CHINH_TRI")
        await b.press_data(chair, criterion, callbacks.wizard(callbacks.WIZARD_CRITERION,
                                                              score.id))
        assert "không thuộc loại tính được" in (b.last(chair).text or "")
        await b.press(chair, b.last(chair), "HOAT_DONG_CHUNG")
        preview = b.last(chair)
        assert "Xem lại hoạt động" in (preview.text or "")
        assert "8 giờ 00, ngày 15/3/2023 (đến 11 giờ 00)" in (preview.text or "")
        assert "Hạn đăng ký tham gia: 17 giờ 00, ngày 10/3/2023" in (preview.text or "")
        assert not b.cards()  # nothing is saved or sent before «Tạo hoạt động»
        await b.press(chair, preview, "Tạo hoạt động")
        assert "Đã tạo hoạt động HD1" in (preview.text or "")
        card = b.card()
        assert "Tọa đàm chuyển đổi số" in (card.text or "")
        assert "Hội thảo, tọa đàm" in (card.text or "") and "Địa điểm" not in (card.text or "")
        # a double tap on the old preview: no draft any more, nothing created twice
        await b.press_data(chair, preview, callbacks.wizard(callbacks.WIZARD_CREATE, "go"))
        assert "Không có hoạt động nào đang soạn" in (b.last(chair).text or "")
        assert len(b.cards()) == 1

        for code in ("VPTU", "BTG", "BDV"):
            rep = b.reps[code]
            await b.press(rep, b.invitation(rep), "Tham gia")
            await b.press(rep, b.last(rep), "2")
            await b.press(rep, b.last(rep), "Bỏ qua")

        # the planned reminders are rows: a restart loses none
        await b.h.stop_bot()
        await b.h.start_bot()
        async with b.h.db.read() as conn:
            planned = [(r.kind, r.offset) for r in await plan_repo.rows_of(conn, 1)
                       if r.state == "planned"]
        assert ("answer", "2d") in planned and ("coming", "1d") in planned
        before = {code: len(b.emu.sent_messages(rep.user_id)) for code, rep in b.reps.items()}
        await b.at(local(2023, 3, 8, 8, 0))
        for code, rep in b.reps.items():
            got = [m for m in b.emu.sent_messages(rep.user_id)[before[code]:]
                   if "Nhắc đăng ký" in (m.text or "")]
            assert len(got) == (0 if code in ("VPTU", "BTG", "BDV") else 1), code
        # the day before, at the block's reminder hour: only those coming
        before = {code: len(b.emu.sent_messages(rep.user_id)) for code, rep in b.reps.items()}
        await b.at(local(2023, 3, 14, 8, 0))
        for code, rep in b.reps.items():
            got = [m for m in b.emu.sent_messages(rep.user_id)[before[code]:]
                   if "Nhắc lịch" in (m.text or "")]
            assert len(got) == (1 if code in ("VPTU", "BTG", "BDV") else 0), code
