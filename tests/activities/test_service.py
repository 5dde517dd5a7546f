"""The services without Telegram: times typed by the chair, reminder times with quiet
hours, attendance into a number criterion and absence penalties, an appraised report left
alone, and `activities_of` for the year's review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.blockfile import parse_block_text
from bot.services.access import Caller, resolve_caller
from bot.services.activities import callbacks
from bot.services.activities.answers import Outcome, give_reason, press_answer
from bot.services.activities.attendance import open_list, save_list
from bot.services.activities.listing import activities_of
from bot.services.activities.moments import parse_deadline, parse_moment
from bot.services.activities.schedule import wanted_rows
from bot.services.clock import ManualClock
from bot.services.reports.entry import open_report
from bot.services.setup import apply_block_spec
from storage import activities as repo
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import reports as reports_repo
from storage.db import Database
from storage.records import Block
from storage.reports.records import ReportState
from tests.activities.conftest import ACTIVITY
from tests.blockfile.helpers import HCM, example

# Two activities of phase 2, both counted on a number criterion, one with a penalty.
TWO = ACTIVITY.replace('criterion = "HOAT_DONG_CHUNG"', 'criterion = "SO_HOAT_DONG"') + """
[[activities]]
code = "TU_THIEN_2023"
title = "Thăm, tặng quà gia đình chính sách"
kind = "charity"
starts = 2023-07-27T08:00:00
answer_by = 2023-07-20
criterion = "SO_HOAT_DONG"
absence_penalty = 2
"""
COUNT_CRITERION = """
[[criteria]]
code = "SO_HOAT_DONG"
group = "II. Phong trào thi đua"
title = "Số hoạt động chung đã tham gia"
kind = "number"
target = 2
max_points = 4
"""


def test_typed_times() -> None:
    moment = parse_moment("25/08/2023 07:30-11:30", HCM)
    assert moment is not None and moment.start == datetime(2023, 8, 25, 7, 30, tzinfo=HCM)
    assert moment.end == datetime(2023, 8, 25, 11, 30, tzinfo=HCM)
    spoken = parse_moment("7h30 ngày 25/8/2023", HCM)
    assert spoken is not None and spoken.start == datetime(2023, 8, 25, 7, 30, tzinfo=HCM)
    assert parse_moment("25/08/2023", HCM) is None  # a start needs its hour
    assert parse_moment("31/02/2023 08:00", HCM) is None
    assert parse_moment("25/08/2023 25:00", HCM) is None
    assert parse_deadline("20/8/2023", HCM) == datetime(2023, 8, 20, 17, 0, tzinfo=HCM)


def test_reminder_times_follow_quiet_hours_and_the_hour_of_day() -> None:
    block = Block(1, "K", "K", None, 2023, None, "Asia/Ho_Chi_Minh", "vi",
                  {"reminders": {"at": "08:00", "quiet_hours": "21:00-07:00"}}, None)
    from storage.activities.records import Activity

    start = datetime(2023, 8, 25, 7, 30, tzinfo=HCM)
    activity = Activity(1, 1, "A", "file", "T", "sports", None, start, None,
                        datetime(2023, 8, 20, 17, 0, tzinfo=HCM), None, None, "open", None,
                        None, None, None, start, start)
    rows = {(kind, offset): when.astimezone(HCM) for kind, offset, when in
            wanted_rows(activity, block)}
    assert rows[("answer", "2d")] == datetime(2023, 8, 18, 8, 0, tzinfo=HCM)
    assert rows[("answer", "2h")] == datetime(2023, 8, 20, 15, 0, tzinfo=HCM)
    assert rows[("coming", "1d")] == datetime(2023, 8, 24, 8, 0, tzinfo=HCM)
    # 05:30 is in the quiet hours: moved to their end, still before the start
    assert rows[("coming", "2h")] == datetime(2023, 8, 25, 7, 0, tzinfo=HCM)
    assert rows[("closed", "")] == datetime(2023, 8, 20, 17, 0, tzinfo=HCM)


async def _block(db: Database, clock: ManualClock) -> tuple[Block, dict[str, Caller]]:
    text = example().replace("[covenant]", COUNT_CRITERION + "\n[covenant]", 1) + TWO
    await apply_block_spec(db, parse_block_text(text), clock)
    callers: dict[str, Caller] = {}
    async with db.transaction() as conn:
        block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
        assert block is not None
        for n, unit in enumerate((await blocks_repo.load_tree(conn, block)).units, start=1):
            await members_repo.add_member(conn, block_id=block.id, unit_id=unit.id,
                                          tg_user_id=5000 + n, full_name=f"Đại diện {unit.code}",
                                          username=None, language_code="vi", now=clock.now())
    for n, code in enumerate(("VPTU", "BTG", "UBKT", "BDV", "DUK", "BTC", "TCT", "BNC", "BBT"),
                             start=1):
        callers[code] = await resolve_caller(db, tg_user_id=5000 + n, admin_ids=frozenset(),
                                             default_language="vi")
    return block, callers


async def _answer(db: Database, clock: ManualClock, caller: Caller, activity_id: int,
                  yes: bool) -> None:
    press = callbacks.AnswerPress(activity_id, yes, caller.unit.id if caller.unit else None, 0)
    result = await press_answer(db, clock, caller, press)
    if not yes:
        assert result.outcome is Outcome.ASK_REASON
        result = await give_reason(db, clock, caller, activity_id, 0, "Bận công tác")
    assert result.outcome is Outcome.RECORDED


async def test_number_criterion_penalty_and_appraised_report(db: Database) -> None:
    clock = ManualClock(datetime(2023, 2, 1, 2, 0, tzinfo=UTC))
    block, callers = await _block(db, clock)
    async with db.read() as conn:
        charity, sports = await repo.block_activities(conn, block.id)
    assert charity.code == "TU_THIEN_2023"
    for code in ("VPTU", "BTG", "UBKT"):
        await _answer(db, clock, callers[code], charity.id, True)
        await _answer(db, clock, callers[code], sports.id, True)
    await _answer(db, clock, callers["BDV"], charity.id, False)  # excused: a reason
    # BTC's phase-2 report is already appraised: attendance leaves it alone
    async with db.transaction() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        phase2 = next(p for p in tree.phases if p.code == "DOT2")
        btc = next(u for u in tree.units if u.code == "BTC")
        report = await reports_repo.ensure_report(conn, block_id=block.id, unit_id=btc.id,
                                                  phase_id=phase2.id, now=clock.now())
        await reports_repo.set_report_fields(conn, report.id, state=ReportState.APPRAISED)

    chair = callers["VPTU"]
    clock.set(charity.starts_at + timedelta(hours=1))
    shown = await open_list(db, clock, chair, charity.id)
    assert {u.code for u in tree.units if u.id in shown.present} == {"VPTU", "BTG", "UBKT"}
    ubkt = next(u for u in tree.units if u.code == "UBKT")
    await open_list(db, clock, chair, charity.id, toggle=ubkt.id)  # UBKT did not come
    saved = await save_list(db, clock, chair, charity.id)
    assert [u.code for u in saved.skipped] == ["BTC"]
    clock.set(sports.starts_at + timedelta(hours=1))
    await open_list(db, clock, chair, sports.id)
    await save_list(db, clock, chair, sports.id)

    count = next(c for c in tree.criteria if c.code == "SO_HOAT_DONG")
    penalty = next(c for c in tree.criteria if c.code == "TRE_HAN")
    expected = {"VPTU": ("2", None), "BTG": ("2", None), "UBKT": ("1", "2"),
                "BDV": ("0", None), "DUK": ("0", "2"), "BBT": ("0", "2")}
    for code, (attended, fined) in expected.items():
        unit = next(u for u in tree.units if u.code == code)
        view = await open_report(db, clock, block=block, unit=unit, phase_code="DOT2")
        assert view is not None
        assert view.values[count.id].self_value == attended, code
        got = view.values.get(penalty.id)
        assert (got.self_value if got else None) == fined, code
        assert (penalty.id in view.from_attendance) == (fined is not None), code
    view = await open_report(db, clock, block=block, unit=btc, phase_code="DOT2")
    assert view is not None and count.id not in view.values  # appraised: untouched
    ubkt_view = await open_report(db, clock, block=block, unit=ubkt, phase_code="DOT2")
    assert ubkt_view is not None
    assert ubkt_view.values[count.id].self_points == Decimal(2)  # 4 x 1/2

    records = await activities_of(db, block.id)
    assert [r.code for r in records] == ["TU_THIEN_2023", "HOI_THAO_2023"]
    took = {u.unit_code for u in records[0].took_part}
    assert took == {"VPTU", "BTG"} and records[0].phase_code == "DOT2"
    bdv = next(u for u in records[0].units if u.unit_code == "BDV")
    assert bdv.answer == "no" and bdv.reason == "Bận công tác" and bdv.attended is False
    assert await activities_of(db, block.id, phase="DOT1") == []
