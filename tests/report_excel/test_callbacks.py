"""The «📥 Mẫu Excel» button's data ("rx:"): read back as the press it was built from, fits
Telegram's 64 bytes with the largest id, and nothing else is taken for a press."""

from __future__ import annotations

import re

import pytest

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.report_excel import callbacks as rx
from bot.services.reports import callbacks as rp

BIG = 10**rx.ID_DIGITS - 1


@pytest.mark.parametrize("press", [rx.SendTemplate(BIG), rx.SendTemplate(0)], ids=repr)
def test_round_trips_and_fits(press: rx.Press) -> None:
    data = rx.data_of(press)
    assert re.match(rx.PATTERN, data) and len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
    assert rx.parse(data) == press
    assert rp.parse(data) is None


@pytest.mark.parametrize("data", [None, "", "rx:", "rx:t:", "rx:t:-1", "rx:t:1:2", "rx:t:１",
                                  "rx:t:²", "rx:t:" + "9" * 19, "rp:o:1", "rx:x:1"])
def test_nothing_else_is_a_press(data: str | None) -> None:
    assert rx.parse(data) is None


def test_ids_beyond_the_format_are_refused_when_building() -> None:
    with pytest.raises(ValueError, match="18 digits"):
        rx.send_template(10**rx.ID_DIGITS)
