"""Reports by Excel end to end through the emulator: a representative presses «📥 Mẫu Excel»
(or types /report excel), fills the workbook with openpyxl (and once with LibreOffice),
sends it back as a document, reads the form with the cells that were refused, submits,
and finds the report locked; hostile files get their message in the sender's language;
two representatives sending at once lose nothing; evidence still takes spreadsheets."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.sandbox import SentMessage
from bot.services.reports.entry import open_report
from storage import audit as audit_repo
from storage import blocks as blocks_repo
from tests.e2e.harness import BotHarness, Person
from tests.report_excel.helpers import XLSX_MIME, fill, report_sheet, zip_bomb
from tests.report_excel.test_upload import TYPED
from tests.reports.e2e_helpers import answer_to, buttons, press

pytestmark = pytest.mark.e2e

REQUIRED = {**TYPED, "KHEN_THUONG": 12, "XAY_DUNG_DANG": 9}


async def template_from(h: BotHarness, person: Person, text: str = "/report excel"
                        ) -> SentMessage:
    """Send `text` and return the document the bot answers with."""
    mark = h.emu.mark()
    h.emu.send_text(person.user_id, text)
    return await h.emu.wait_for_message(person.user_id, after=mark,
                                        predicate=lambda m: m.kind == "document")


async def send_workbook(h: BotHarness, person: Person, data: bytes,
                        name: str = "KTD6-2023-DOT1-BBT.xlsx") -> SentMessage:
    """Send a workbook; return the bot's first text answer after it."""
    mark = h.emu.mark()
    h.emu.send_document(person.user_id, data, filename=name, mime_type=XLSX_MIME)
    return await h.emu.wait_for_message(person.user_id, after=mark,
                                        predicate=lambda m: m.kind == "text")


def data_of(message: SentMessage) -> bytes:
    assert message.file is not None
    return message.file.data


async def test_the_whole_report_through_excel(harness: BotHarness) -> None:
    h = harness
    rep = await h.register("BBT", "Phóng viên Bình")
    form = await h.say(rep, "/report")
    mark = h.emu.mark()
    await press(h, rep, form, "📥 Mẫu Excel")
    sent = await h.emu.wait_for_message(rep.user_id, after=mark,
                                        predicate=lambda m: m.kind == "document")
    assert sent.message["document"]["file_name"] == "KTD6-2023-DOT1-BBT.xlsx"
    assert "Mẫu báo cáo Đợt 1 của Báo Bình Thuận" in (sent.caption or "")
    assert "17 giờ 00, ngày 20/6/2023" in (sent.caption or "")

    # Departments fill it in; one figure over the maximum, one not a number.
    data = fill(data_of(sent), {**TYPED, "KHEN_THUONG": 30, "XAY_DUNG_DANG": "chín"})
    answer = await send_workbook(h, rep, data)
    text = answer.text or ""
    assert "đã lưu 5 giá trị" in text
    assert "H9: vượt quá 15 điểm tối đa" in text and "H10: không phải là số" in text
    assert "Báo Bình Thuận" in text  # the form follows

    # The corrected workbook (downloaded again, so it holds what is saved) completes it.
    again = await template_from(h, rep)
    fixed = await send_workbook(h, rep, fill(data_of(again), {"KHEN_THUONG": 12,
                                                              "XAY_DUNG_DANG": 9}))
    assert "đã lưu 2 giá trị" in (fixed.text or "")
    confirm = await press(h, rep, fixed, "📤 Nộp báo cáo")
    done = await press(h, rep, confirm, "✅ Xác nhận nộp")
    assert "nộp" in (done.text or "").lower()

    locked = await send_workbook(h, rep, fill(data_of(again), {"SANG_KIEN": 2}))
    assert "đã được nộp nên không sửa được bằng tệp Excel" in (locked.text or "")
    refused = await h.say(rep, "/report excel")
    assert "đã được nộp nên không nhập được nữa" in (refused.text or "")
    overview = await h.say(rep, "/report")
    assert "📥 Mẫu Excel" not in [label for label, _ in buttons(overview)]


async def test_unknown_phase_and_forged_press(harness: BotHarness) -> None:
    h = harness
    rep = await h.register("BBT")
    unknown = await h.say(rep, "/report excel DOT9")
    assert "Không tìm thấy đợt thi đua có mã «DOT9»" in (unknown.text or "")
    form = await h.say(rep, "/report")
    await h.press(rep, form, "rx:t:999999")
    assert "không hợp lệ" in answer_to(h, rep)
    await h.press(rep, form, "rx:t:abc")
    async with h.db.read() as conn:
        rows = await audit_repo.entries(conn, action="report.excel.forged-press")
    assert rows and rows[0].subject == "rx:t:999999"
    stranger = h.person("Người lạ")
    told = await send_workbook(h, stranger, b"PK")
    assert "chưa được đăng ký là đại diện" in (told.text or "")


async def test_hostile_files_are_told_in_the_senders_language(harness: BotHarness) -> None:
    h = harness
    rep = await h.register("BBT")
    other = await h.register("UBKT")
    template = data_of(await template_from(h, rep))
    cases = [
        (zip_bomb(template, 30 * 2**20), "mau.xlsx", "dung lượng khi giải nén quá lớn"),
        (template, "mau.xlsm", "có macro"),
        (b"%PDF-1.4", "mau.xlsx", "không phải là bảng tính Excel"),
        (fill(template, {"NV_CHINH_TRI": 30}), "mau.xlsx", "của đơn vị khác"),
    ]
    for data, name, needle in cases:
        answer = await send_workbook(h, other, data, name)
        assert needle in (answer.text or ""), answer.text
    english = h.person("Tom", language="en")
    token = await h.invite_token("BDV")
    await h.say(english, f"/start {token}")
    await h.settle()
    await h.say(english, "/lang en")
    answer = await send_workbook(h, english, b"%PDF-1.4", "report.xlsx")
    assert "is not a readable Excel workbook" in (answer.text or "")


async def test_two_representatives_at_once_lose_nothing(harness: BotHarness) -> None:
    h = harness
    one, two = await h.register("BBT", "An"), await h.register("BBT", "Bình")
    first = data_of(await template_from(h, one))
    second = data_of(await template_from(h, two))
    mark = h.emu.mark()
    h.emu.send_document(one.user_id, fill(first, {"NV_CHINH_TRI": 30, "KHEN_THUONG": 10}),
                        filename="a.xlsx", mime_type=XLSX_MIME)
    h.emu.send_document(two.user_id, fill(second, {"XAY_DUNG_DANG": 9, "KHEN_THUONG": 12}),
                        filename="b.xlsx", mime_type=XLSX_MIME)
    for person in (one, two):
        told = await h.emu.wait_for_message(person.user_id, after=mark,
                                            predicate=lambda m: "đã lưu" in (m.text or ""))
        assert "đã lưu 2 giá trị" in (told.text or "")
    latest = load_workbook(io.BytesIO(data_of(await template_from(h, one))))
    ws = report_sheet(latest)
    values = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=8).value
              for r in range(5, ws.max_row + 1)}
    assert (values["NV_CHINH_TRI"], values["XAY_DUNG_DANG"], values["KHEN_THUONG"]) == (
        30, 9, 12)


async def test_a_spreadsheet_with_a_question_open_is_still_evidence(harness: BotHarness) -> None:
    h = harness
    rep = await h.register("BBT")
    template = data_of(await template_from(h, rep))
    form = await h.say(rep, "/report")
    page = await press(h, rep, form, "I.")
    question = await press(h, rep, page, "2")
    assert "Số tiền vận động" in (question.text or "")
    other = load_workbook(io.BytesIO(template))
    other.remove(other["thidua"])
    table = io.BytesIO()
    other.save(table)
    mark = h.emu.mark()
    h.emu.send_document(rep.user_id, table.getvalue(), filename="bang-ke.xlsx",
                        mime_type=XLSX_MIME)
    got = await h.emu.wait_for_message(rep.user_id, after=mark)
    assert "Đã nhận minh chứng" in (got.text or "")
    # The template itself, sent while the question is open, is the report.
    answer = await send_workbook(h, rep, fill(template, {"NV_CHINH_TRI": 30}))
    assert "đã lưu 1 giá trị" in (answer.text or "")


SOFFICE = shutil.which("soffice")


def _libreoffice_resave(source: Path, out_dir: Path) -> Path:
    """Open and save the file with LibreOffice, as a unit's office would."""
    env_home = out_dir / "home"  # a profile of its own: tests may run side by side
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation=file://{env_home}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir),
         str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return out_dir / source.name


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
async def test_a_workbook_saved_by_libreoffice_is_read(harness: BotHarness) -> None:
    h = harness
    rep = await h.register("BBT")
    template = data_of(await template_from(h, rep))
    filled = fill(template, {"NV_CHINH_TRI": "=20+15.5", "TIEN_VAN_DONG": 1833468000,
                             "CHUYEN_DOI_SO": "87,5", "HOAT_DONG_CHUNG": "Có",
                             "KET_QUA_NOI_BAT": "Mô hình «Dân vận khéo»"})
    source = h.tmp_path / "in" / "KTD6-2023-DOT1-BBT.xlsx"
    source.parent.mkdir()
    await asyncio.to_thread(source.write_bytes, filled)
    saved = await asyncio.to_thread(_libreoffice_resave, source, h.tmp_path / "out")
    resaved = await asyncio.to_thread(saved.read_bytes)
    assert resaved != filled
    answer = await send_workbook(h, rep, resaved)
    text = answer.text or ""
    assert "đã lưu 5 giá trị" in text, text
    assert await stored(h, "BBT") == {
        "NV_CHINH_TRI": "35.5",  # LibreOffice computed the formula and saved its value
        "TIEN_VAN_DONG": "1833468000", "CHUYEN_DOI_SO": "87.5", "HOAT_DONG_CHUNG": "yes",
        "KET_QUA_NOI_BAT": "Mô hình «Dân vận khéo»"}


async def stored(h: BotHarness, unit: str) -> dict[str, str | None]:
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    found = next(u for u in tree.units if u.code == unit)
    view = await open_report(h.db, h.clock, block=block, unit=found)
    assert view is not None
    return {c.code: view.values[c.id].self_value for c in tree.criteria if c.id in view.values}
