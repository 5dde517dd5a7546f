"""End to end: too few units vote (quorum 0.67 of nine is seven), the vote closes invalid
and uncounted, a ballot confirmed after the close is refused, the chair opens it again for
the units that have not voted, and the second close counts every ballot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.awards.tables import awards_ballots
from storage.tables import audit_log
from tests.awards.flow import Vote
from tests.e2e.harness import BotHarness

pytestmark = pytest.mark.e2e

FIRST = ["VPTU", "BTG", "UBKT", "BDV", "DUK"]
LATER = ["BTC", "TCT"]


async def cast_count(h: BotHarness) -> int:
    async with h.db.read() as conn:
        query = select(func.count()).select_from(awards_ballots).where(
            awards_ballots.c.cast.is_(True))
        return int((await conn.execute(query)).scalar_one())


async def test_quorum_not_met_then_reopened(harness: BotHarness) -> None:
    people = await harness.register_all()
    await harness.bind_group(people["VPTU"])
    v = Vote(harness, people)
    await v.open_vote()
    for code in FIRST:
        await v.vote(code, [["VPTU"], ["BTG"]])
    late = await v.ballot(people["BNC"])
    late = await v.press(people["BNC"], late, "Bỏ phiếu")  # the summary, not confirmed

    await v.at(timedelta(hours=8, minutes=1))  # past 17:00: closed by the clock
    result = next(t for t in v.group() if "KẾT QUẢ" in t)
    assert "5/9 đơn vị (55,6%)" in result and "không hợp lệ" in result
    assert "phiếu (" not in result  # nothing counted, no candidate's votes shown
    assert not any("Danh sách phiếu" in t for t in v.group())
    after = await v.press(people["BNC"], late, "Xác nhận")
    assert "đã kết thúc" in (after.text or "")
    assert await cast_count(harness) == 5

    # The chair opens it again; only the units that have not voted are invited anew.
    note = v.with_button(v.chair, "Mở lại bỏ phiếu")
    assert "5/9" in (note.text or "")
    await v.press(v.chair, note, "Mở lại bỏ phiếu")
    prep = v.last(v.chair)
    assert "không hợp lệ" in (prep.text or "") and "5/9" in (prep.text or "")
    prep = await v.press(v.chair, prep, "Trong 2 giờ")
    marks = {code: len(harness.texts(p.user_id)) for code, p in people.items()}
    await v.press(v.chair, prep, "Mở lại bỏ phiếu")
    await harness.settle(quiet=0.05)
    invited = {code for code, p in people.items()
               if any("Thường trực Khối đã mở" in t
                      for t in harness.texts(p.user_id)[marks[code]:])}
    assert invited == {"BTC", "TCT", "BNC", "BBT"}
    again = await v.ballot(people["BTG"])  # an old invitation of a unit that has voted
    assert "đã được" in (again.text or "") or "đã bỏ phiếu" in " ".join(v.answers(people["BTG"]))
    for code in [*LATER, "BNC"]:
        await v.vote(code, [["BTG"], ["BTG"]])
    await v.at(timedelta(hours=2, minutes=1))
    result = [t for t in v.group() if "KẾT QUẢ" in t][-1]
    assert "8/9 đơn vị (88,9%)" in result
    assert "1. Văn phòng Tỉnh ủy: 5 phiếu (55,6%) – đề nghị" in result
    assert "2. Ban Tuyên giáo Tỉnh ủy: 3 phiếu (33,3%) – chưa đạt" in result
    assert "1. Ban Tuyên giáo Tỉnh ủy: 8 phiếu (88,9%) – đề nghị" in result
    async with harness.db.read() as conn:
        actions = list((await conn.execute(
            select(audit_log.c.action).where(audit_log.c.action.like("awards.%")))).scalars())
    assert {"awards.opened", "awards.invalid", "awards.reopened", "awards.closed",
            "awards.ballot-closed"} <= set(actions)
