"""The covenant's callback data: every format round-trips through its builder and parser,
fits Telegram's 64 bytes with the largest ids, and the handlers' patterns accept exactly
what the builders make."""

from __future__ import annotations

import re

import pytest

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.covenant import callbacks as cb
from bot.services.covenant.messages import sign_button

BIG = 10**18 - 1  # the largest id the parsers accept (18 digits)
KEY = "0123abcd"


def _fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= CALLBACK_DATA_MAX_BYTES


@pytest.mark.parametrize("ids", [(1, 2), (BIG, BIG)])
def test_sign_round_trips(ids: tuple[int, int]) -> None:
    data = cb.sign_data(*ids)
    assert _fits(data) and cb.SIGN.match(data)
    assert cb.parse_sign(data) == cb.SignPress(*ids)


@pytest.mark.parametrize("ids", [(1, 2), (BIG, BIG)])
def test_confirm_round_trips(ids: tuple[int, int]) -> None:
    data = cb.confirm_data(*ids, KEY)
    assert _fits(data) and cb.CONFIRM.match(data)
    assert cb.parse_confirm(data) == cb.ConfirmPress(*ids, KEY)


@pytest.mark.parametrize("ids", [(1, 0), (BIG, BIG)])
def test_publish_round_trips(ids: tuple[int, int]) -> None:
    block_id, mark = ids
    data = cb.publish_data(block_id, KEY, mark)
    assert _fits(data) and cb.PUBLISH.match(data)
    assert cb.parse_publish(data) == cb.PublishPress(block_id, KEY, mark)


def test_a_publish_button_of_an_earlier_release_still_reads() -> None:
    assert cb.parse_publish(f"cov:p:7:{KEY}") == cb.PublishPress(7, KEY, None)


@pytest.mark.parametrize("ids", [(1, 2), (BIG, BIG)])
def test_pledge_edits_round_trip(ids: tuple[int, int]) -> None:
    unit_id, criterion_id = ids
    slogan = cb.slogan_data(unit_id)
    target = cb.target_data(unit_id, criterion_id)
    assert _fits(slogan) and _fits(target)
    assert cb.parse_pledge_edit(slogan) == cb.PledgeEditPress(unit_id, False, None)
    assert cb.parse_pledge_edit(target) == cb.PledgeEditPress(unit_id, True, criterion_id)


def test_a_target_press_without_its_criterion_reaches_the_handler() -> None:
    # The handler answers it ("pledge-not-member") instead of leaving it unanswered.
    assert cb.parse_pledge_edit("plg:t:5") == cb.PledgeEditPress(5, True, None)


@pytest.mark.parametrize("data", [cb.SIGN_CANCEL, cb.PUBLISH_CANCEL, cb.PLEDGE_CANCEL,
                                  cb.PLEDGE_OPEN])
def test_fixed_data_fits_and_is_matched_exactly(data: str) -> None:
    assert _fits(data)
    pattern = re.compile(cb.exactly(data))
    assert pattern.match(data) and not pattern.match(data + "1")


@pytest.mark.parametrize("data", [
    "cov:s:1", "cov:s:1:2:3", "cov:s:-1:2", "cov:s:١:2",  # Arabic-Indic digit
    "cov:s:1234567890123456789:1",  # 19 digits
    "cov:c:1:2:0123ABCD", "cov:c:1:2:0123abc", "cov:p:1:xyz", "cov:p::0123abcd",
    "cov:p:1:0123abcd:", "cov:p:1:0123abcd:x", "cov:p:1:0123abcd:" + "9" * 19,
    "plg:x:1", "plg:s:", "plg:t:1:2:3", "", None,
])
def test_malformed_data_is_refused(data: str | None) -> None:
    assert cb.parse_sign(data) is None
    assert cb.parse_confirm(data) is None
    assert cb.parse_publish(data) is None
    assert cb.parse_pledge_edit(data) is None


def test_the_sign_button_carries_the_sign_format() -> None:
    _, data = sign_button("✍️ Ký giao ước", 7, 9)
    assert cb.parse_sign(data) == cb.SignPress(7, 9)
