"""Pure ranking: order and ties, bonus and penalty, appraisal over self-assessment, phase
weights, the provisional flag, period choice and the chart data built from it."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from bot.charts import caption_for, chart_fingerprint
from bot.services.ranking.charts import ranking_chart
from bot.services.ranking.rank import Period, build_ranking, pick_period, rank_order
from bot.services.ranking.scoreboard import build_scoreboard
from storage.reports.records import BlockReports, ReportData, ReportState
from tests.ranking.builders import NOW, PHASES, board, report, tree, value

D = Decimal
DOT1, DOT2 = Period(PHASES[0]), Period(PHASES[1])


def summary(ranking: object) -> list[tuple[int, str, Decimal]]:
    return [(s.rank, s.unit.code, s.total) for s in ranking.standings]  # type: ignore[attr-defined]


def test_rank_order_shares_ranks_and_skips_after_ties() -> None:
    items = [("D", 80), ("B", 90), ("C", 90), ("A", 100), ("E", 80), ("F", 10)]
    ranked = rank_order(items, lambda i: D(i[1]), lambda i: i[0])
    assert [(r, i[0]) for r, i in ranked] == [
        (1, "A"), (2, "B"), (2, "C"), (4, "D"), (4, "E"), (6, "F")]


def test_ties_share_a_rank_ordered_by_code_whatever_the_input_order() -> None:
    codes = ["UBKT", "BBT", "VPTU", "BDV"]
    reports = {("UBKT", "DOT1"): {1: "50"}, ("BBT", "DOT1"): {1: "50"},
               ("VPTU", "DOT1"): {1: "60"}, ("BDV", "DOT1"): {1: "10"}}
    first = build_ranking(board(tree(codes), reports), DOT1)
    assert summary(first) == [(1, "VPTU", D(60)), (2, "BBT", D(50)), (2, "UBKT", D(50)),
                              (4, "BDV", D(10))]
    for seed in range(5):
        shuffled = codes[:]
        random.Random(seed).shuffle(shuffled)
        again = build_ranking(board(tree(shuffled), reports), DOT1)
        assert summary(again) == summary(first)
        chart = ranking_chart(again, as_of=NOW, lang="vi")
        assert chart_fingerprint(chart) == chart_fingerprint(
            ranking_chart(first, as_of=NOW, lang="vi"))


def test_bonus_adds_penalty_subtracts_and_the_chart_shows_both() -> None:
    t = tree(["A", "B"])
    ranking = build_ranking(board(t, {
        ("A", "DOT1"): {1: "50", 2: "30", 3: "5", 4: "3"},
        ("B", "DOT1"): {1: "50", 2: "30"},
    }), DOT1)
    a, b = ranking.standings
    assert (a.unit.code, a.base, a.bonus, a.penalty, a.total) == ("A", 80, 5, 3, 82)
    assert b.total == 80
    assert ranking.max_points == 105  # base 100 + bonus 5; penalties never raise it
    chart = ranking_chart(ranking, as_of=NOW, lang="vi")
    assert chart.groups == ("I. Nhiệm vụ", "II. Phong trào", "Điểm thưởng", "Điểm trừ")
    assert dict(chart.entries[0].points_by_group) == {
        "I. Nhiệm vụ": D(50), "II. Phong trào": D(30), "Điểm thưởng": D(5), "Điểm trừ": D(-3)}
    assert sum(chart.entries[0].points_by_group.values()) == chart.entries[0].total
    assert chart.max_points == 105 and chart.period_label == "Đợt 1"


def test_appraised_points_replace_self_assessment() -> None:
    ranking = build_ranking(board(tree(["A", "B"]), {
        ("A", "DOT1"): {1: ("60", "40"), 2: "30"},  # the chair lowered 60 to 40
        ("B", "DOT1"): {1: "55", 2: "30"},
    }, appraised=[("A", "DOT1")]), DOT1)
    assert summary(ranking) == [(1, "B", D(85)), (2, "A", D(70))]
    a = ranking.standings[1]
    assert a.self_total == 90 and not a.provisional
    assert a.criteria[1].self_points == 60 and a.criteria[1].appraised_points == 40
    assert a.criteria[1].points == 40


def test_year_total_uses_phase_weights() -> None:
    reports = {("A", "DOT1"): {1: "60", 2: "40"}, ("A", "DOT2"): {1: "30", 2: "20"},
               ("B", "DOT1"): {1: "40", 2: "30"}, ("B", "DOT2"): {1: "50", 2: "40"}}
    equal = build_ranking(board(tree(["A", "B"]), reports), Period(None))
    assert summary(equal) == [(1, "B", D(160)), (2, "A", D(150))]
    assert equal.max_points == 210  # (100 + 5 bonus) x 2 phases
    weighted = build_ranking(
        board(tree(["A", "B"], phase_weights={"DOT1": "0.7", "DOT2": "0.3"}), reports),
        Period(None))
    # A: 0.7 x 100 + 0.3 x 50 = 85; B: 0.7 x 70 + 0.3 x 90 = 76
    assert summary(weighted) == [(1, "A", D(85)), (2, "B", D(76))]
    assert weighted.max_points == 105
    a = weighted.standings[0]
    assert a.phase_totals == {"DOT1": 100, "DOT2": 50}
    assert a.criteria[1].points == D("51.00")  # 0.7 x 60 + 0.3 x 30
    chart = ranking_chart(weighted, as_of=NOW, lang="vi")
    assert chart.period_label == "Cả năm 2023"


def test_provisional_until_appraised_or_the_phase_is_finished() -> None:
    t = tree(["A", "B", "C"])
    reports = {("A", "DOT1"): {1: "50"}, ("B", "DOT1"): {1: "40"}}
    open_phase = build_ranking(board(t, reports, appraised=[("A", "DOT1")]), DOT1)
    flags = {s.unit.code: s.provisional for s in open_phase.standings}
    assert flags == {"A": False, "B": True, "C": True}  # C: nothing reported yet
    assert open_phase.provisional
    assert ranking_chart(open_phase, as_of=NOW, lang="vi").provisional
    done = build_ranking(board(t, reports, finished=["DOT1"]), DOT1)
    assert not done.provisional
    # The year stays provisional while DOT2 is not finished.
    year = build_ranking(board(t, reports, finished=["DOT1"]), Period(None))
    assert year.provisional
    year_done = build_ranking(board(t, reports, finished=["DOT1", "DOT2"]), Period(None))
    assert not year_done.provisional


def test_late_phases_are_listed() -> None:
    reports = {("A", "DOT1"): {1: "50"}, ("A", "DOT2"): {1: "50"}}
    b = board(tree(["A"]), reports, late=[("A", "DOT2")])
    assert build_ranking(b, DOT2).standings[0].late == ("DOT2",)
    assert build_ranking(b, DOT1).standings[0].late == ()
    assert build_ranking(b, Period(None)).standings[0].late == ("DOT2",)


def test_pick_period() -> None:
    t = tree(["A"])
    in_dot2 = datetime(2023, 8, 1, 3, 0, tzinfo=UTC)
    assert pick_period(t, in_dot2) == DOT2
    assert pick_period(t, in_dot2, "dot1") == DOT1
    assert pick_period(t, in_dot2, "year") == Period(None)
    assert pick_period(t, in_dot2, "năm") == Period(None)
    assert pick_period(t, in_dot2, "DOT9") is None
    assert pick_period(t, datetime(2022, 12, 1, tzinfo=UTC)) is None  # nothing started
    assert pick_period(t, datetime(2024, 2, 1, tzinfo=UTC)) == DOT2  # the latest started


def test_no_group_gets_a_generic_heading() -> None:
    t = tree(["A"])
    t = replace(t, criteria=tuple(replace(c, group_name=None) for c in t.criteria))
    ranking = build_ranking(board(t, {("A", "DOT1"): {1: "10", 3: "2", 4: "1"}}), DOT1)
    chart = ranking_chart(ranking, as_of=NOW, lang="en")
    assert chart.groups == ("Other criteria", "Bonus points", "Penalty points")
    assert dict(chart.entries[0].points_by_group) == {
        "Other criteria": D(10), "Bonus points": D(2), "Penalty points": D(-1)}


def test_units_without_a_report_past_the_deadline_come_last_without_points() -> None:
    t = tree(["A", "B", "D", "E"])
    ids = {u.code: u.id for u in t.units}
    draft = replace(report(ids["D"], 1, ReportState.DRAFT), first_submitted_at=None,
                    submitted_at=None)
    b = build_scoreboard(t, BlockReports({
        (ids["A"], 1): ReportData(report(ids["A"], 1), {1: value(1, "50")}),
        (ids["B"], 1): ReportData(report(ids["B"], 1), {1: value(1, "0")}),  # 0, but reported
        # D typed 55 points into a draft but never submitted it; E has nothing at all.
        (ids["D"], 1): ReportData(draft, {1: value(1, "55")}),
    }))

    before = build_ranking(b, DOT1, now=datetime(2023, 6, 1, tzinfo=UTC))
    assert not any(s.unreported for s in before.standings)  # not due yet: a provisional 0

    after = build_ranking(b, DOT1, now=NOW)  # NOW is past DOT1's deadline
    assert [(s.rank, s.unit.code, s.unreported) for s in after.standings] == [
        (1, "A", False), (2, "B", False), (3, "D", True), (3, "E", True)]
    assert after.standings[2].missing == ("DOT1",)
    chart = ranking_chart(after, as_of=NOW, lang="vi")
    silent = [e for e in chart.entries if e.unreported]
    assert [(e.unit_code, dict(e.points_by_group), e.provisional) for e in silent] == [
        ("D", {}, False), ("E", {}, False)]
    caption = caption_for(chart)
    assert "2. <b>B</b> – Đơn vị B: 0 điểm" in caption
    assert "3. <b>D</b> – Đơn vị D: <i>chưa nộp báo cáo</i>" in caption
    assert "55" not in caption
    # The year: D and E reported nothing in any phase; DOT2 is not due yet.
    year = build_ranking(b, Period(None), now=NOW)
    flags = {s.unit.code: (s.unreported, s.missing) for s in year.standings}
    assert flags == {"A": (False, ()), "B": (False, ()), "D": (True, ("DOT1",)),
                     "E": (True, ("DOT1",))}


def test_a_fully_appraised_ranking_is_called_official() -> None:
    t = tree(["A", "B"])
    reports = {("A", "DOT1"): {1: "50", 4: "2"}, ("B", "DOT1"): {1: "40"}}
    open_phase = ranking_chart(build_ranking(board(t, reports), DOT1, now=NOW),
                               as_of=NOW, lang="vi")
    assert open_phase.provisional and not open_phase.final
    assert "chính thức" not in caption_for(open_phase)
    done = ranking_chart(build_ranking(board(t, reports, finished=["DOT1"]), DOT1, now=NOW),
                         as_of=NOW, lang="vi")
    assert done.final
    assert caption_for(done).splitlines()[2] == "<i>Kết quả chính thức (đã thẩm định).</i>"
    assert chart_fingerprint(done) != chart_fingerprint(open_phase)
