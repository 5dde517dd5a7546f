"""Targets typed the way Vietnamese officials type figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.formatting import NumberInputError, parse_number
from bot.services.covenant.pledge import parse_target
from storage.records import Criterion


def criterion(kind: str) -> Criterion:
    return Criterion(id=1, block_id=1, code="X", group_name=None, title="X", kind=kind,
                     measure="đồng" if kind == "number" else None, target=Decimal(100),
                     max_points=Decimal(10), bonus=False, penalty=False, position=0)


@pytest.mark.parametrize(("typed", "expected"), [
    ("200.000.000", Decimal(200_000_000)),
    ("200000000", Decimal(200_000_000)),
    ("1,5", Decimal("1.5")),
    ("200.000.000 đồng", Decimal(200_000_000)),
    (" 1.833.468.000 ", Decimal(1_833_468_000)),
    ("90%", Decimal(90)),
])
def test_vietnamese_numbers(typed: str, expected: Decimal) -> None:
    assert parse_number(typed, "vi") == expected


def test_english_numbers() -> None:
    assert parse_number("200,000,000", "en") == Decimal(200_000_000)
    assert parse_number("1.5", "en") == Decimal("1.5")


@pytest.mark.parametrize("typed", ["", "abc", "1.5", "12,34,5", "1e20", "10^20"])
def test_bad_numbers_are_refused(typed: str) -> None:
    with pytest.raises(NumberInputError):
        parse_number(typed, "vi")


def test_ambiguous_number_comes_with_a_suggestion() -> None:
    with pytest.raises(NumberInputError) as caught:
        parse_number("1.5", "vi")
    assert caught.value.suggestion


def test_targets_must_be_positive_and_percent_at_most_100() -> None:
    assert parse_target("92,5", criterion("percent"), "vi") == Decimal("92.5")
    for typed, kind in (("0", "number"), ("-5", "number"), ("101", "percent")):
        with pytest.raises(ValueError):
            parse_target(typed, criterion(kind), "vi")
    with pytest.raises(NumberInputError):
        parse_target("hai trăm", criterion("number"), "vi")
