"""End to end through the emulator: the chair prepares and opens the year's vote on the
nine-unit example block with two awards, the units vote (a second representative, a
forged press, more than the seats refused), reminders go to those who have not voted,
the chair closes, the results reach the group with every ballot, a tie goes to a runoff,
every unit verifies its ballot, and the minutes and the proposal open as .docx files with
the tally's numbers."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import timedelta

import pytest
from docx import Document
from sqlalchemy import select

from bot.cli import main as cli_main
from bot.services.awards.record import vote_record
from bot.services.awards.results import pct
from bot.services.awards.tally import verdict
from storage import blocks as blocks_repo
from storage.tables import audit_log
from tests.awards.flow import Vote
from tests.e2e.harness import GROUP_ID, BotHarness

pytestmark = pytest.mark.e2e

CO, BK = 0, 1
# Per unit: (Cờ thi đua: 1 seat, Bằng khen: 3 seats). VPTU 6/9 for the flag; for the
# certificate VPTU 9, BTG 8, then UBKT and BDV 5 each: tied at the last seat.
BALLOTS = {
    "VPTU": [["VPTU"], ["VPTU", "BTG", "UBKT"]],
    "BTG": [["VPTU"], ["VPTU", "BTG", "UBKT"]],
    "UBKT": [["VPTU"], ["VPTU", "BTG", "UBKT"]],
    "BDV": [["VPTU"], ["VPTU", "BTG", "UBKT"]],
    "DUK": [["VPTU"], ["VPTU", "BTG", "BDV"]],
    "BTC": [["VPTU"], ["VPTU", "BTG", "BDV"]],
    "TCT": [["BTG"], ["VPTU", "BTG", "BDV"]],
    "BNC": [["BTG"], ["VPTU", "BTG", "BDV"]],
    "BBT": [["BTG"], ["VPTU", "UBKT", "BDV"]],
}
RUNOFF = {"UBKT": 6, "BDV": 3}  # how many units vote for each in the runoff


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    doc = Document(io.BytesIO(content))
    body = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return body, tables


def table_with(tables: list[list[list[str]]], name: str) -> list[list[str]]:
    return next(t for t in tables if any(name in cell for row in t for cell in row))


async def test_whole_year_end_vote(harness: BotHarness, monkeypatch: pytest.MonkeyPatch
                                   ) -> None:
    people = await harness.register_all()
    bbt2 = await harness.register("BBT", "Phó Tổng biên tập")
    await harness.bind_group(people["VPTU"])
    v = Vote(harness, people)

    # The chair prepares: every unit ranks first on 0 points (no report yet), so the list
    # is provisional and the flag's "first three" are all nine; BBT is taken off it.
    screen = await v.say(v.chair, "/binhxet")
    assert "Tạm tính" in (screen.text or "") and "17 giờ 00, ngày 1/2/2023" in (screen.text or "")
    await v.open_vote(edit=(CO, "BBT", "Đơn vị đã được tặng Cờ năm trước"))
    async with harness.db.read() as conn:
        audits = (await conn.execute(
            select(audit_log.c.action, audit_log.c.subject, audit_log.c.after)
            .where(audit_log.c.action.like("awards.%")))).all()
    assert ("awards.candidate-removed", "CO_UBND:BBT",
            {"reason": "Đơn vị đã được tặng Cờ năm trước"}) in [tuple(a) for a in audits]
    assert any(a[0] == "awards.opened" for a in audits)
    assert "0/9 đơn vị đã bỏ phiếu" in v.group()[-1]
    invite = v.with_button(people["BTG"], "Bỏ phiếu")
    assert "Bình xét khen thưởng năm 2023" in (invite.text or "")
    assert "Báo Bình Thuận" not in str(
        (await v.ballot(people["UBKT"])).buttons)  # the flag's list without BBT

    # BTG marks a second unit for the one-seat flag: refused with the reason, unchanged.
    page = await v.ballot(people["BTG"])
    page = await v.press(people["BTG"], page, v.name("VPTU"))
    before = page.text
    page = await v.press(people["BTG"], page, v.name("BTG"))
    assert "tối đa 1 đơn vị" in v.answers(people["BTG"])[-1]
    assert page.text == before and "đã chọn 1" in (page.text or "")

    trackers: dict[str, str] = {}
    for code in ("VPTU", "BTG", "UBKT", "BDV"):
        trackers[code] = await v.vote(code, BALLOTS[code])
    assert "4/9 đơn vị đã bỏ phiếu" in v.group()[-1]  # the counter, edited in place
    assert len(v.group()) == 2

    # A forged press: BTC's representative sends the confirm data of DUK's ballot.
    duk_page = await v.ballot(people["DUK"])
    duk_summary = await v.press(people["DUK"], duk_page, "Bỏ phiếu")
    stolen = duk_summary.button("Xác nhận")["callback_data"]
    await v.press_data(people["BTC"], v.last(people["BTC"]), stolen)
    assert "không phải của anh/chị" in v.answers(people["BTC"])[-1]
    assert "4/9" in v.group()[-1]

    # Thirty minutes before closing: reminders to the five units that have not voted only.
    await v.at(timedelta(hours=7, minutes=30))  # 09:00 -> 16:30 local
    reminded = {code for code, p in people.items()
                if any("Nhắc bỏ phiếu" in t for t in harness.texts(p.user_id))}
    assert reminded == {"DUK", "BTC", "TCT", "BNC", "BBT"}

    for code in ("DUK", "BTC", "TCT", "BNC"):
        trackers[code] = await v.vote(code, BALLOTS[code])
    # BBT's two representatives both fill in a ballot; the first to confirm casts it.
    other_page = await v.ballot(bbt2)
    other_summary = await v.press(bbt2, other_page, "Bỏ phiếu")
    trackers["BBT"] = await v.vote("BBT", BALLOTS["BBT"])
    after = await v.press(bbt2, other_summary, "Xác nhận")
    assert "đã được Đại diện BBT bỏ lúc" in (after.text or ""), after.text
    await harness.settle(quiet=0.05)
    assert any("đã được Đại diện BBT bỏ lúc" in t for t in harness.texts(bbt2.user_id))
    assert not any(trackers["BBT"] in t for t in harness.texts(bbt2.user_id))

    # Everyone has voted: the chair closes.
    status = await v.say(v.chair, "/binhxet")
    assert "9/9" in (status.text or "") and "Chưa bỏ phiếu" in (status.text or "")
    await v.close()
    group = v.group()
    assert "đã kết thúc, 9/9 đơn vị đã bỏ phiếu" in group[1]
    results = next(t for t in group if "KẾT QUẢ" in t)
    assert "1. Văn phòng Tỉnh ủy: 6 phiếu (66,7%) – đề nghị" in results
    assert "2. Ban Tuyên giáo Tỉnh ủy: 3 phiếu (33,3%) – chưa đạt" in results
    assert "1. Văn phòng Tỉnh ủy: 9 phiếu (100%) – đề nghị" in results
    assert "2. Ban Tuyên giáo Tỉnh ủy: 8 phiếu (88,9%) – đề nghị" in results
    assert "Ủy ban Kiểm tra Tỉnh ủy: 5 phiếu (55,6%) – bằng phiếu" in results
    assert "Ban Dân vận Tỉnh ủy: 5 phiếu (55,6%) – bằng phiếu" in results
    assert any(m.kind == "photo" for m in harness.emu.sent_messages(GROUP_ID))
    listing = next(t for t in group if "Danh sách phiếu" in t)
    lines = [line for line in listing.splitlines() if re.match(r"^[0-9A-Z]{4}-[0-9A-Z]{4}:", line)]
    assert len(lines) == 9 and lines == sorted(lines)
    assert sorted(line[:9] for line in lines) == sorted(trackers.values())
    by_tracker = {line[:9]: line for line in lines}
    assert "CO_UBND: BTG · BK_UBND: BDV, UBKT, VPTU" in by_tracker[trackers["BBT"]] or (
        "CO_UBND: BTG · BK_UBND: VPTU, UBKT, BDV" in by_tracker[trackers["BBT"]])

    # The tie goes to a runoff among UBKT and BDV, for the one seat left.
    chair_note = v.with_button(v.chair, "Bỏ phiếu lại")
    prep = await v.press(v.chair, chair_note, "Bỏ phiếu lại")
    prep = v.last(v.chair)
    assert "Bỏ phiếu lại: Bằng khen" in (prep.text or "") and "1 suất" in (prep.text or "")
    await v.press(v.chair, prep, "Trong 1 giờ")
    await v.press(v.chair, v.last(v.chair), "Mở bỏ phiếu")
    await harness.settle(quiet=0.05)
    runoff: dict[str, str] = {}
    voters = list(BALLOTS)
    for n, code in enumerate(voters):
        choice = "UBKT" if n < RUNOFF["UBKT"] else "BDV"
        runoff[code] = await v.vote(code, [[choice]])
    await v.at(timedelta(hours=1, minutes=1))  # closed by the clock
    result = next(t for t in reversed(v.group()) if "KẾT QUẢ" in t)
    assert "BỎ PHIẾU LẠI" in result
    assert "1. Ủy ban Kiểm tra Tỉnh ủy: 6 phiếu (66,7%) – đề nghị" in result
    assert "2. Ban Dân vận Tỉnh ủy: 3 phiếu (33,3%) – chưa đạt" in result

    # Every unit verifies its ballots.
    for code, tracker in trackers.items():
        answer = await v.say(people[code], f"/binhxet verify {tracker.lower()}")
        assert "đã được kiểm" in (answer.text or ""), answer.text
        flag = v.name(BALLOTS[code][CO][0])
        assert f"Cờ thi đua của UBND tỉnh: {flag}" in (answer.text or "")
    for n, (code, tracker) in enumerate(runoff.items()):
        answer = await v.say(people[code], f"/binhxet verify {tracker}")
        chosen = v.name("UBKT" if n < RUNOFF["UBKT"] else "BDV")
        assert f"Bằng khen của Chủ tịch UBND tỉnh: {chosen}" in (answer.text or "")
    assert "Không có phiếu" in ((await v.say(people["BTG"], "/binhxet verify ZZZZ-ZZZZ")).text
                                or "")

    # The minutes and the proposal.
    await v.say(v.chair, "/binhxet bienban")
    minutes = v.last(v.chair)
    assert minutes.kind == "document" and minutes.file_bytes is not None
    body, tables = docx_text(minutes.file_bytes)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
        c for t in tables for row in t for c in row)
    assert "BIÊN BẢN KIỂM PHIẾU BÌNH XÉT, SUY TÔN" in body
    assert "Số phiếu phát ra: 9; số phiếu thu về: 9" in body
    flag = table_with(tables, "66,7%")
    assert ["1", "Văn phòng Tỉnh ủy", "6", "66,7%", "Đề nghị"] in flag
    assert ["2", "Ban Tuyên giáo Tỉnh ủy", "3", "33,3%", "Chưa đạt"] in flag
    certificate = table_with(tables, "88,9%")
    assert ["2", "Ban Tuyên giáo Tỉnh ủy", "8", "88,9%", "Đề nghị"] in certificate
    assert sum(row[4] == "Bằng phiếu" for row in certificate) == 2
    assert "III. BỎ PHIẾU LẠI: Bằng khen của Chủ tịch UBND tỉnh" in body
    assert "IV. KẾT QUẢ BÌNH XÉT, SUY TÔN" in body
    assert ("2. Bằng khen của Chủ tịch UBND tỉnh (3 đơn vị): Văn phòng Tỉnh ủy; Ban Tuyên giáo "
            "Tỉnh ủy; Ủy ban Kiểm tra Tỉnh ủy.") in body
    # Every row of every count table is the tally's, in its order.
    async with harness.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, harness.spec.code)
    assert block is not None
    record = await vote_record(harness.db, block)
    assert record is not None and len(record.runoffs) == 1
    counts = [t for t in tables if t[0] == ["STT", "Tên đơn vị", "Số phiếu", "Tỷ lệ", "Kết quả"]]
    results = [r for counted in (record.main, *record.runoffs) for r in counted.tally.awards]
    assert len(counts) == len(results) == 3
    labels = {"proposed": "Đề nghị", "tied": "Bằng phiếu", "passed": "Đạt",
              "failed": "Chưa đạt"}
    for table, result in zip(counts, results, strict=True):
        assert table[1:] == [
            [str(n), record.main.state.name(c.unit_id), str(c.votes), pct(c.share, "vi"),
             labels[verdict(result, c)]] for n, c in enumerate(result.candidates, start=1)]
    participants = table_with(tables, "Người bỏ phiếu")
    assert len(participants) == 10  # the header and the nine units
    await v.say(v.chair, "/binhxet totrinh")
    proposal = v.last(v.chair)
    assert proposal.file_bytes is not None
    body, tables = docx_text(proposal.file_bytes)
    assert "TỜ TRÌNH" in body and "Căn cứ Luật Thi đua, khen thưởng" in body
    assert ["1", "Văn phòng Tỉnh ủy", "0", "1", "6 (66,7%)"] in table_with(tables, "6 (66,7%)")
    certificate = table_with(tables, "8 (88,9%)")
    assert [row[1] for row in certificate[1:]] == [
        "Văn phòng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"]
    assert certificate[3][4] == "5 (55,6%); bỏ phiếu lại: 6 (66,7%)"

    # The command line writes the same minutes.
    out = harness.tmp_path / "bien-ban.docx"
    monkeypatch.setenv("DATABASE_URL", harness.settings().database_url)
    # In a thread: the command line runs its own event loop, as from a shell.
    code = await asyncio.to_thread(
        cli_main, ["awards", "minutes", "--block", harness.spec.code, "--out", str(out)])
    assert code == 0
    assert docx_text(out.read_bytes())[0] == docx_text(minutes.file_bytes)[0]
