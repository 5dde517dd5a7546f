"""Every callback format of the vote round-trips and fits Telegram's 64 bytes; a ballot's
data holds a token, never a unit or a choice."""

from __future__ import annotations

import pytest

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.awards import callbacks as cb
from bot.services.awards.tokens import draft_key, new_token, normalised, shown

BIG = 10**18 - 1  # the largest id the formats carry
TOKEN = "kDzJGO3eNWDVoLurTDi4jA"  # fixed: parametrized ids must be the same in every worker


def test_ballot_presses_round_trip() -> None:
    cases = {
        cb.toggle_data(BIG, TOKEN, 8, 99): cb.BallotPress("t", BIG, TOKEN, 8, 99),
        cb.page_data(BIG, TOKEN, 8): cb.BallotPress("p", BIG, TOKEN, 8),
        cb.summary_data(BIG, TOKEN): cb.BallotPress("s", BIG, TOKEN),
        cb.cast_data(BIG, TOKEN): cb.BallotPress("c", BIG, TOKEN),
    }
    for data, press in cases.items():
        assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES, data
        assert cb.parse_ballot(data) == press
        assert cb.BALLOT.match(data) and not cb.CHAIR_PRESS.match(data)
    assert cb.parse_open_ballot(cb.open_ballot_data(BIG)) == BIG


def test_chair_presses_round_trip() -> None:
    cases = {
        cb.chair_data("v", BIG): cb.ChairPress("v", BIG),
        cb.chair_data("kt", BIG): cb.ChairPress("kt", BIG),
        cb.edit_data(BIG, 8): cb.ChairPress("e", BIG, award=8),
        cb.candidate_data(BIG, 8, BIG): cb.ChairPress("u", BIG, award=8, unit_id=BIG),
        cb.closing_in(BIG, 9999): cb.ChairPress("k", BIG, closing="d9999"),
        cb.closing_at(BIG, 17, 0): cb.ChairPress("k", BIG, closing="t1700"),
        cb.runoff_data(BIG, 8): cb.ChairPress("r", BIG, award=8),
        cb.document_data(BIG, "m"): cb.ChairPress("d", BIG, closing="m"),
    }
    for data, press in cases.items():
        assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES, data
        assert cb.parse_chair(data) == press
        assert cb.CHAIR_PRESS.match(data) and not cb.BALLOT.match(data)


@pytest.mark.parametrize("data", [
    "aw:t:1:short:0:0", f"aw:t:1:{TOKEN}:100:0", f"aw:c:1:{TOKEN}:extra", "aw:k:1:x90",
    "aw:u:1:0", f"aw:t:{10**18}:{TOKEN}:0:0", "aw:d:1:q", "aw:b:", "",
])
def test_malformed_data_is_no_press(data: str) -> None:
    assert cb.parse_ballot(data) is None and cb.parse_chair(data) is None
    assert cb.parse_open_ballot(data) is None


def test_a_draft_key_is_the_token_and_the_person_together() -> None:
    assert draft_key(TOKEN, 1) == draft_key(TOKEN, 1) != draft_key(TOKEN, 2)
    assert draft_key(TOKEN, 1) != draft_key(new_token(), 1)
    assert len(draft_key(TOKEN, 1)) == 64  # a SHA-256: nothing of the token or the person


def test_trackers_are_read_back_as_people_type_them() -> None:
    assert shown("K7M2Q9XD") == "K7M2-Q9XD"
    assert normalised(" k7m2-q9xd ") == "K7M2Q9XD"
    assert normalised("O1LI-0000") == "0111" + "0000"
    assert normalised("K7M2-Q9X") is None and normalised("K7M2-Q9XU") is None
