"""The count's rules: more than the threshold of the electorate, the quorum, blank
ballots, a tie at the last seat, a runoff without a threshold; closing times as typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.services.awards.prepare import closing_from, default_closing
from bot.services.awards.settings import Award
from bot.services.awards.tally import count, layout_of, verdict
from storage.records import Block

FLAG = Award("CO", "Cờ", 1, Decimal("0.5"))
CERT = Award("BK", "Bằng khen", 3, Decimal("0.5"))
HALF = Decimal("0.5")


def ballot(*marks: str) -> str:
    return "".join(marks)


def test_more_than_the_threshold_of_all_units_not_of_the_ballots() -> None:
    layout = layout_of([(FLAG, 1, HALF, [1, 2])])
    # 8 units, 6 voted: 4 votes is half of the units, not more; 3 of 6 ballots is irrelevant.
    tally = count(layout, ["10", "10", "10", "10", "01", "00"], 8, Decimal("0.67"))
    assert tally.valid and tally.cast == 6
    first = tally.awards[0].candidates[0]
    assert (first.unit_id, first.votes, first.share, first.passed) == (1, 4, Decimal("50.0"),
                                                                       False)
    assert tally.awards[0].proposed == () and tally.awards[0].blank == 1
    five = count(layout, ["10"] * 5 + ["01"], 8, Decimal("0.67")).awards[0]
    assert five.proposed == (1,) and five.candidates[0].share == Decimal("62.5")


def test_quorum_is_a_share_of_the_electorate() -> None:
    layout = layout_of([(FLAG, 1, HALF, [1])])
    assert not count(layout, ["1"] * 6, 9, Decimal("0.67")).valid  # 6 < 6.03
    assert count(layout, ["1"] * 7, 9, Decimal("0.67")).valid
    assert count(layout, ["1"] * 2, 3, Decimal("0.67")).valid is False  # 2 < 2.01


def test_a_tie_at_the_last_seat_goes_to_a_runoff() -> None:
    layout = layout_of([(CERT, 3, HALF, [1, 2, 3, 4, 5])])
    marks = ["11100"] * 4 + ["11010"] * 4 + ["10110"]
    result = count(layout, marks, 9, Decimal("0.67")).awards[0]
    assert [(c.unit_id, c.votes) for c in result.candidates] == [
        (1, 9), (2, 8), (3, 5), (4, 5), (5, 0)]
    assert result.proposed == (1, 2) and result.tied == (3, 4) and result.open_seats == 1
    assert [verdict(result, c) for c in result.candidates] == [
        "proposed", "proposed", "tied", "tied", "failed"]
    # Equal votes that do not straddle the last seat are no tie.
    clear = count(layout, ["11100"] * 9, 9, Decimal("0.67")).awards[0]
    assert clear.proposed == (1, 2, 3) and clear.tied == ()


def test_a_runoff_has_no_threshold_and_may_tie_again() -> None:
    layout = layout_of([(CERT, 1, None, [3, 4])])
    won = count(layout, ["10"] * 3 + ["01"] * 2 + ["00"] * 4, 9, Decimal("0.67")).awards[0]
    assert won.proposed == (3,) and verdict(won, won.candidates[1]) == "failed"
    again = count(layout, ["10"] * 3 + ["01"] * 3 + ["00"], 9, Decimal("0.67")).awards[0]
    assert again.proposed == () and again.tied == (3, 4)


def test_ballots_that_do_not_fit_the_layout_are_not_counted() -> None:
    layout = layout_of([(FLAG, 1, HALF, [1, 2]), (CERT, 3, HALF, [1, 2])])
    assert layout.fits("1011") and not layout.fits("1111") and not layout.fits("101")
    assert count(layout, ["1011", "1111", "10x1"], 4, HALF).cast == 1


def test_closing_times_as_the_chair_types_them() -> None:
    block = Block(1, "K", "Khối", None, 2023, None, "Asia/Ho_Chi_Minh", "vi", {}, None)
    now = datetime(2023, 12, 15, 2, 0, tzinfo=UTC)  # 09:00 local
    local = block.tz
    assert closing_from("16:30", now, block) == datetime(2023, 12, 15, 16, 30, tzinfo=local)
    assert closing_from("17h30", now, block) == datetime(2023, 12, 15, 17, 30, tzinfo=local)
    assert closing_from("t1700", now, block) == datetime(2023, 12, 15, 17, 0, tzinfo=local)
    assert closing_from("2h", now, block) == now + timedelta(hours=2)
    assert closing_from("90m", now, block) == now + timedelta(minutes=90)
    assert closing_from("1h30m", now, block) == now + timedelta(minutes=90)
    assert closing_from("d45", now, block) == now + timedelta(minutes=45)
    assert closing_from("25:00", now, block) is None and closing_from("soon", now, block) is None
    assert default_closing(now, block) == datetime(2023, 12, 15, 17, 0, tzinfo=local)
    assert default_closing(now + timedelta(hours=7, minutes=40), block) is None  # 16:40
