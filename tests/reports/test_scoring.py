"""Every scoring rule, pure: kinds, unit targets, bonus/penalty, appraisal, rounding, year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from bot.services.scoring import (
    NO,
    YES,
    effective_target,
    is_optional,
    max_base,
    max_total,
    phase_score,
    phase_weights,
    points_for,
    progress_percent,
    round_points,
    year_score,
)
from tests.reports.helpers import crit

D = Decimal


@dataclass(frozen=True)
class Pts:
    self_points: Decimal | None
    appraised_points: Decimal | None = None


def test_score_is_the_units_own_points_clamped_to_the_range() -> None:
    c = crit(1, "score", 40)
    assert points_for(c, "35") == D(35)
    assert points_for(c, "40") == D(40)
    assert points_for(c, "45") == D(40)
    assert points_for(c, "-3") == D(0)
    assert points_for(c, None) is None


def test_number_scales_with_the_target_and_caps_at_max() -> None:
    c = crit(2, "number", 10, target=100_000_000)
    assert points_for(c, "50000000") == D(5)
    assert points_for(c, "100000000") == D(10)
    assert points_for(c, "1833468000") == D(10)
    assert points_for(c, "0") == D(0)


def test_number_uses_the_units_own_target_when_registered() -> None:
    c = crit(2, "number", 10, target=100_000_000)
    assert points_for(c, "100000000", D(200_000_000)) == D(5)
    assert effective_target(c, D(200_000_000)) == D(200_000_000)
    # a zero or missing unit target falls back to the criterion's
    assert effective_target(c, D(0)) == D(100_000_000)
    assert effective_target(c, None) == D(100_000_000)


def test_percent_is_like_number() -> None:
    c = crit(3, "percent", 10, target=90)
    assert points_for(c, "45") == D(5)
    assert points_for(c, "90") == D(10)
    assert points_for(c, "100") == D(10)
    assert progress_percent(c, "45") == D("50.00")
    assert progress_percent(c, "99") == D("110.00")


def test_zero_target_is_met_by_any_report() -> None:
    assert points_for(crit(3, "number", 10, target=0), "0") == D(10)


def test_yesno_and_text() -> None:
    assert points_for(crit(4, "yesno", 15), YES) == D(15)
    assert points_for(crit(4, "yesno", 15), NO) == D(0)
    assert points_for(crit(5, "text", 5), "Mô hình mới") == D(0)


def test_bonus_adds_and_penalty_subtracts() -> None:
    criteria = [
        crit(1, "score", 40), crit(2, "score", 60),
        crit(8, "score", 5, bonus=True), crit(9, "score", 5, penalty=True),
    ]
    values = {1: Pts(D(30)), 2: Pts(D(50)), 8: Pts(D(3)), 9: Pts(D(2))}
    score = phase_score(criteria, values, final=False)
    assert (score.base, score.bonus, score.penalty) == (D(80), D(3), D(2))
    assert score.total == D("81.00")
    assert score.provisional
    assert is_optional(criteria[2]) and is_optional(criteria[3])
    assert not is_optional(criteria[0])


def test_appraised_points_replace_self_points_per_criterion() -> None:
    criteria = [crit(1, "score", 40), crit(2, "score", 60), crit(5, "text", 5)]
    values = {1: Pts(D(40), D(30)), 2: Pts(D(50)), 5: Pts(D(0), D(4))}
    score = phase_score(criteria, values, final=True)
    assert score.total == D("84.00")
    assert score.self_total == D("90.00")
    assert not score.provisional
    assert [s.appraised for s in score.criteria] == [True, False, True]


def test_missing_values_count_zero() -> None:
    criteria = [crit(1, "score", 40), crit(2, "score", 60)]
    assert phase_score(criteria, {1: Pts(D(10))}, final=False).total == D("10.00")
    assert phase_score(criteria, {}, final=False).total == D("0.00")


def test_phase_total_rounds_half_up_to_two_decimals() -> None:
    # 10 x 1/3 + 10 x 2/3 = 10 exactly; rounding applies to the total, not each criterion
    c1 = crit(1, "number", 10, target=3)
    c2 = crit(2, "number", 10, target=3)
    values = {1: Pts(points_for(c1, "1")), 2: Pts(points_for(c2, "2"))}
    assert phase_score([c1, c2], values, final=False).total == D("10.00")
    assert round_points(D("2.345")) == D("2.35")
    assert round_points(D("2.344999")) == D("2.34")
    c3 = crit(3, "number", 10, target=3)
    assert phase_score([c3], {3: Pts(points_for(c3, "1"))}, final=False).total == D("3.33")


def test_by_group_sums_the_base_table_in_order() -> None:
    criteria = [
        crit(1, "score", 40, group="I"), crit(2, "score", 20, group="II"),
        crit(3, "score", 20, group="I"), crit(8, "score", 5, bonus=True, group="Thưởng"),
    ]
    values = {1: Pts(D(30)), 2: Pts(D(10)), 3: Pts(D(5)), 8: Pts(D(5))}
    assert phase_score(criteria, values, final=False).by_group() == {"I": D(35), "II": D(10)}


def test_max_points_of_the_table() -> None:
    criteria = [crit(1, "score", 40), crit(2, "score", 60), crit(8, "score", 5, bonus=True),
                crit(9, "score", 5, penalty=True)]
    assert max_base(criteria) == D(100)
    assert max_total(criteria) == D(105)


def test_year_total_is_a_sum_by_default_and_weighted_when_configured() -> None:
    c = [crit(1, "score", 100)]
    p1 = phase_score(c, {1: Pts(D("80.5"))}, final=True)
    p2 = phase_score(c, {1: Pts(D(90))}, final=False)
    year = year_score({"DOT1": p1, "DOT2": p2})
    assert year.total == D("170.50")
    assert year.provisional
    weighted = year_score({"DOT1": p1, "DOT2": p2}, {"DOT1": D("0.4"), "DOT2": D("0.6")})
    assert weighted.total == D("86.20")
    final = year_score({"DOT1": p1})
    assert not final.provisional


def test_phase_weights_come_from_block_settings_as_text() -> None:
    assert phase_weights({"phase_weights": {"DOT1": "1", "DOT2": "2.5"}}) == {
        "DOT1": D(1), "DOT2": D("2.5"),
    }
    assert phase_weights({}) == {}
    assert phase_weights({"phase_weights": {"X": "bad", "Y": "-1"}}) == {}


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity"])
def test_unreadable_stored_numbers_score_zero(value: str) -> None:
    assert points_for(crit(1, "score", 10), value) == D(0)
