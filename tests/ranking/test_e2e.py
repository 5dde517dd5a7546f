"""End to end through the emulator: /ranking and /progress in private and in the group,
who may do what, the file-id cache, the automatic posts after a deadline and after
/review done, and /export read back with openpyxl."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.sandbox import ApiCall, SentMessage
from bot.services.reminders.plan import RANKING_DELAY
from bot.services.reports.lines import save_lines
from bot.services.reports.submission import submit_report
from bot.services.review.appraisal import accept_report
from handlers.reminders import run_reminders
from storage import blocks as blocks_repo
from tests.e2e.harness import EXAMPLE_BLOCK, GROUP_ID, BotHarness, Person
from tests.exports.read import main_table
from tests.reports.e2e_helpers import FULL_LINES, say_expect

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n"


async def hand_in(h: BotHarness, code: str, *, accept_by: int | None = None) -> None:
    """The unit's full report for DOT1, typed and submitted (and accepted by the chair)."""
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    unit = next(u for u in tree.units if u.code == code)
    texts = h.runtime.texts
    await save_lines(h.db, h.clock, block=block, unit=unit, actor_tg_id=1, text=FULL_LINES,
                     lang="vi")
    result = await submit_report(h.db, h.clock, texts, block=block, unit=unit, actor_tg_id=1,
                                 phase_id=tree.phases[0].id)
    if accept_by is not None:
        assert result.view is not None and result.view.report is not None
        await accept_report(h.db, h.clock, texts, block=block, actor_tg_id=accept_by,
                            report_id=result.view.report.id)


async def ask_photo(h: BotHarness, person: Person, text: str, *, chat_id: int | None = None,
                    answer_in: int | None = None) -> tuple[SentMessage, ApiCall]:
    """Send a command; return the photo the bot answers with and its sendPhoto call."""
    target = answer_in or chat_id or person.user_id
    mark = h.emu.mark()
    h.emu.send_text(person.user_id, text, chat_id=chat_id)
    photo = await h.emu.wait_for_message(target, after=mark, predicate=lambda m: m.kind == "photo")
    [call] = await h.emu.wait_for_calls("sendPhoto", chat_id=target, after=mark)
    await h.handlers_done()  # the file id is cached just after the photo is sent
    return photo, call


def file_id(message: SentMessage) -> str:
    return str(message.message["photo"][-1]["file_id"])


async def test_ranking_in_private_and_group_rights_and_cache(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU", "Chánh Văn phòng")
    await h.bind_group(chair)
    member = await h.register("BBT", "Phóng viên Bình")
    await hand_in(h, "BBT")
    await hand_in(h, "UBKT")
    await h.settle()  # the group's "đã nộp báo cáo" notices land before we talk there

    first, upload = await ask_photo(h, member, "/ranking")
    assert upload.files["photo"].data.startswith(PNG)  # drawn and uploaded
    caption = first.caption or ""
    assert "Bảng xếp hạng thi đua – Khối thi đua 6" in caption and "Đợt 1" in caption
    assert "1. UBKT – Ủy ban Kiểm tra Tỉnh ủy: 90,5 điểm" in caption
    assert "2. BBT – Báo Bình Thuận: 88 điểm" in caption
    assert "3. BDV – Ban Dân vận Tỉnh ủy: 0 điểm" in caption  # ties by code
    assert "Tạm tính" in caption

    again, reuse = await ask_photo(h, member, "/ranking")  # nothing changed: same file id
    assert reuse.files == {} and reuse.params["photo"] == file_id(first)
    assert again.caption == first.caption

    in_group, by_id = await ask_photo(h, chair, "/ranking", chat_id=GROUP_ID)
    assert by_id.files == {} and in_group.caption == first.caption

    # A member's /ranking in the group is answered in private; the group stays quiet.
    private, _ = await ask_photo(h, member, "/ranking", chat_id=GROUP_ID,
                                 answer_in=member.user_id)
    assert private.caption == first.caption
    await h.emu.wait_idle(quiet=0.2)
    assert h.emu.sent_messages(GROUP_ID)[-1].message_id == in_group.message_id

    # ... unless the bot cannot write to them: then one polite line in the group (other
    # group notices may come first: the group is rate-limited, so they can trail a little).
    closed = await h.register("UBKT", "Kiểm tra viên")
    h.emu.block_bot(closed.user_id)
    await say_expect(h, closed, "/ranking", "mở tin nhắn riêng với bot", chat_id=GROUP_ID)
    outsider = h.person("Khách")
    await say_expect(h, outsider, "/ranking", "do Khối trưởng đăng", chat_id=GROUP_ID)

    year, _ = await ask_photo(h, member, "/ranking year")
    assert "Cả năm 2023" in (year.caption or "")
    unknown = await h.say(member, "/ranking DOT9")
    assert "«DOT9»" in (unknown.text or "") and "DOT1, DOT2" in (unknown.text or "")
    progress, _ = await ask_photo(h, member, "/progress")
    assert "Mức độ hoàn thành chỉ tiêu – Khối thi đua 6" in (progress.caption or "")
    not_chair = await h.say(member, "/export")
    assert "chỉ dành cho đại diện đơn vị Khối trưởng" in (not_chair.text or "")


@pytest.fixture
def harness_block_file(tmp_path: Path) -> Path:
    """The example block publishing self-scores: its deadline posts the provisional
    ranking in the group (by default only the appraised one goes there)."""
    text = EXAMPLE_BLOCK.read_text(encoding="utf-8").replace(
        "# publish_self_scores = false", "publish_self_scores = true")
    path = tmp_path / "block.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_posted_after_the_deadline_and_after_review_done(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU", "Chánh Văn phòng")
    await h.bind_group(chair)
    await hand_in(h, "BBT")
    await hand_in(h, "UBKT")
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        dot1 = (await blocks_repo.load_tree(conn, block)).phases[0]

    mark = h.emu.mark()
    h.clock.set(dot1.report_due + RANKING_DELAY + timedelta(minutes=1))
    await run_reminders(h.app)
    await h.settle(quiet=0.2)
    [posted] = [m for m in h.emu.sent_messages(GROUP_ID) if m.kind == "photo"]
    [upload] = await h.emu.wait_for_calls("sendPhoto", chat_id=GROUP_ID, after=mark)
    assert upload.files["photo"].data.startswith(PNG)
    caption = posted.caption or ""
    assert "Đợt 1" in caption and "Tạm tính" in caption and "1. UBKT" in caption
    await run_reminders(h.app)  # a second wake-up posts nothing more
    await h.settle(quiet=0.2)
    assert len([m for m in h.emu.sent_messages(GROUP_ID) if m.kind == "photo"]) == 1

    # The same data asked again: Telegram's file id from the post, no new upload.
    _, call = await ask_photo(h, chair, "/ranking DOT1")
    assert call.files == {} and call.params["photo"] == file_id(posted)

    # The chair finishes the appraisal: the final ranking goes to the group.
    for report in (await review_ids(h)):
        await accept_report(h.db, h.clock, h.runtime.texts, block=block,
                            actor_tg_id=chair.user_id, report_id=report)
    mark = h.emu.mark()
    done = await h.say(chair, "/review done")
    assert "Đã hoàn tất thẩm định Đợt 1" in (done.text or "")
    final = await h.emu.wait_for_message(GROUP_ID, after=mark,
                                         predicate=lambda m: m.kind == "photo")
    assert "Tạm tính" not in (final.caption or "") and "1. UBKT" in (final.caption or "")


async def review_ids(h: BotHarness) -> list[int]:
    from sqlalchemy import select

    from storage.reports.tables import reports

    async with h.db.read() as conn:
        rows = await conn.execute(select(reports.c.id).where(reports.c.state == "submitted"))
        return [row[0] for row in rows]


def totals_of(caption: str) -> dict[str, Decimal]:
    found = re.findall(r"^\d+\. (\w+) – .*?: ([\d.,]+) điểm", caption, flags=re.MULTILINE)
    return {code: Decimal(total.replace(".", "").replace(",", ".")) for code, total in found}


async def test_export_sends_a_workbook_with_the_year_totals(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU", "Chánh Văn phòng")
    await h.bind_group(chair)
    await hand_in(h, "BBT")
    await hand_in(h, "UBKT", accept_by=chair.user_id)
    year, _ = await ask_photo(h, chair, "/ranking year")
    expected = totals_of(year.caption or "")
    assert len(expected) == 9 and expected["UBKT"] == Decimal("90.5")

    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, "/export")
    sent = await h.emu.wait_for_message(chair.user_id, after=mark,
                                        predicate=lambda m: m.kind == "document")
    document = sent.message["document"]
    assert document["file_name"] == "bang-tong-hop-KTD6-2023-20230201-0900.xlsx"
    assert "Bảng tổng hợp kết quả chấm điểm thi đua" in (sent.caption or "")
    data = h.emu.file_bytes(document["file_id"])
    # data_only: the totals' cached values (the totals are formulas over the sheet's cells)
    book = await asyncio.to_thread(load_workbook, io.BytesIO(data), data_only=True)
    try:
        table = main_table(book["Cả năm 2023"])
    finally:
        book.close()
    names = {u.name: u.code for u in h.spec.units}  # the workbook shows names, not codes
    got = {names[n]: Decimal(str(v)) for n, v in table.by_unit("Tổng điểm").items()}
    assert got == expected

    in_group = await h.say(chair, "/export", chat_id=GROUP_ID)
    assert "chỉ được gửi trong tin nhắn riêng" in (in_group.text or "")
