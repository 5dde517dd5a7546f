"""Lengths as Telegram counts them (UTF-16 units) and the clipping of echoed input."""

from __future__ import annotations

import pytest

from bot.formatting import ECHO_LIMIT, clip, echo, prefix_within, utf16_len


def test_emoji_count_two_units_and_vietnamese_one() -> None:
    assert utf16_len("Tiếng Việt") == 10
    assert utf16_len("🎉" * 2100) == 4200
    assert utf16_len("👨‍👩‍👧") == 8  # three people and two joiners


def test_clip_keeps_what_fits_and_marks_the_cut() -> None:
    assert clip("Đợt 1", 10) == "Đợt 1"
    assert clip("một hai ba bốn năm", 12) == "một hai ba…"
    clipped = clip("🎉" * 100, 9)
    assert clipped == "🎉" * 4 + "…" and utf16_len(clipped) == 9
    assert utf16_len(clip("x" * 5000, 4096)) == 4096
    with pytest.raises(ValueError):
        clip("abc", 0)


def test_prefix_within_never_splits_an_emoji() -> None:
    assert prefix_within("a🎉b", 2) == 1
    assert prefix_within("a🎉b", 3) == 2
    assert prefix_within("abc", 10) == 3


def test_an_echo_is_one_short_line() -> None:
    assert echo("  DOT1 \n") == "DOT1"
    assert echo("a\n\nb\tc") == "a b c"
    long = echo("X" * 4000)
    assert long.endswith("…") and utf16_len(long) == ECHO_LIMIT
    assert utf16_len(echo("😀" * 4000)) <= ECHO_LIMIT
    assert echo("<b>&amp;</b>") == "<b>&amp;</b>"  # plain text: the catalog escapes it
