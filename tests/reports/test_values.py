"""Typed values: Vietnamese figures, ranges, yes/no words, text length, CODE: value lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.services.values import (
    MAX_TEXT_UNITS,
    BadValue,
    GoodValue,
    Problem,
    looks_like_code_lines,
    parse_value,
    split_code_lines,
)
from tests.reports.helpers import crit


def stored(result: GoodValue | BadValue) -> str:
    assert isinstance(result, GoodValue), result
    return result.stored


def problem(result: GoodValue | BadValue) -> Problem:
    assert isinstance(result, BadValue), result
    return result.problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.833.468.000", "1833468000"), ("1833468000", "1833468000"),
     ("200.000.000 đồng", "200000000"), ("1,5", "1.5"), ("0", "0")],
)
def test_numbers_in_vietnamese_formats(text: str, expected: str) -> None:
    assert stored(parse_value(crit(2, "number", 10, target=100), text)) == expected


def test_bad_numbers() -> None:
    c = crit(2, "number", 10, target=100)
    assert problem(parse_value(c, "abc")) is Problem.NOT_A_NUMBER
    assert problem(parse_value(c, "-5")) is Problem.NEGATIVE
    assert problem(parse_value(c, "1.000.000.000.000.000")) is Problem.TOO_LARGE
    assert problem(parse_value(c, "")) is Problem.EMPTY
    ambiguous = parse_value(c, "1.5")
    assert isinstance(ambiguous, BadValue) and ambiguous.problem is Problem.NOT_A_NUMBER


def test_score_range_and_precision() -> None:
    c = crit(1, "score", 40)
    assert stored(parse_value(c, "35,5")) == "35.5"
    bad = parse_value(c, "41")
    assert isinstance(bad, BadValue) and bad.problem is Problem.OVER_MAX
    assert bad.limit == Decimal(40)
    assert problem(parse_value(c, "1,234")) is Problem.TOO_PRECISE


def test_percent_range() -> None:
    c = crit(3, "percent", 10, target=90)
    assert stored(parse_value(c, "87,5%")) == "87.5"
    assert problem(parse_value(c, "101")) is Problem.OVER_100


@pytest.mark.parametrize(("text", "expected"), [
    ("có", "yes"), ("Có", "yes"), ("yes", "yes"), ("không", "no"), ("Khong", "no"), ("no", "no"),
])
def test_yes_no_words(text: str, expected: str) -> None:
    assert stored(parse_value(crit(4, "yesno", 15), text)) == expected


def test_yes_no_refuses_other_words() -> None:
    assert problem(parse_value(crit(4, "yesno", 15), "có lẽ")) is Problem.NOT_YESNO


def test_text_length_limit() -> None:
    c = crit(5, "text", 0)
    assert stored(parse_value(c, "  Mô hình mới  ")) == "Mô hình mới"
    assert stored(parse_value(c, "x" * MAX_TEXT_UNITS))
    assert problem(parse_value(c, "x" * (MAX_TEXT_UNITS + 1))) is Problem.TOO_LONG


def test_code_lines_are_recognised() -> None:
    assert looks_like_code_lines("TIEN_VAN_DONG: 1.833.468.000\nNV_CHINH_TRI: 35")
    assert looks_like_code_lines("\n  NV_CHINH_TRI: 35")
    assert not looks_like_code_lines("Kính gửi: Khối trưởng")
    assert not looks_like_code_lines("35")
    lines = split_code_lines("NV_CHINH_TRI: 35\n\nrác\nchuyen_doi_so : 80%")
    assert lines == [
        (1, "NV_CHINH_TRI: 35", "NV_CHINH_TRI", "35"),
        (3, "rác", None, ""),
        (4, "chuyen_doi_so : 80%", "CHUYEN_DOI_SO", "80%"),
    ]
