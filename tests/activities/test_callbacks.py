"""Every callback format of the feature round-trips and fits Telegram's 64 bytes."""

from __future__ import annotations

import re

import pytest

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.activities import callbacks

BIG = 10**18 - 1  # the largest id the formats carry ([0-9]{1,18})


def test_answers_round_trip() -> None:
    group = callbacks.group_answer(BIG, True)
    assert callbacks.parse_answer(group) == callbacks.AnswerPress(BIG, True)
    own = callbacks.own_answer(BIG, BIG, 999_999, False)
    assert callbacks.parse_answer(own) == callbacks.AnswerPress(BIG, False, BIG, 999_999)
    assert group.startswith(callbacks.GROUP_PREFIX) and not own.startswith(callbacks.GROUP_PREFIX)


def test_steps_round_trip() -> None:
    assert callbacks.parse_people(callbacks.people(BIG, 999_999, 10)) == (BIG, 999_999, 10)
    assert callbacks.parse_skip(callbacks.skip_names(BIG, 7)) == (BIG, 7)
    assert callbacks.parse_toggle(callbacks.toggle(BIG, BIG)) == (BIG, BIG)
    for build, letter in ((callbacks.checkin, "k"), (callbacks.detail, "v"),
                          (callbacks.attendance, "m"), (callbacks.save_attendance, "w")):
        assert callbacks.parse_one(build(BIG)) == (letter, BIG)
    data = callbacks.wizard(callbacks.WIZARD_CRITERION, BIG)
    assert callbacks.parse_wizard(data) == (callbacks.WIZARD_CRITERION, str(BIG))
    assert callbacks.parse_wizard(callbacks.wizard(callbacks.WIZARD_KIND, "seminar")) == (
        "kind", "seminar")


def test_every_format_fits_and_matches_its_pattern() -> None:
    samples = {
        callbacks.ANSWER_PATTERN: [callbacks.group_answer(BIG, False),
                                   callbacks.own_answer(BIG, BIG, 999_999, True)],
        callbacks.PEOPLE_PATTERN: [callbacks.people(BIG, 999_999, 999_999)],
        callbacks.SKIP_PATTERN: [callbacks.skip_names(BIG, 999_999)],
        callbacks.DETAIL_PATTERN: [callbacks.checkin(BIG), callbacks.detail(BIG)],
        callbacks.ATTENDANCE_PATTERN: [callbacks.attendance(BIG), callbacks.toggle(BIG, BIG),
                                       callbacks.save_attendance(BIG)],
        callbacks.WIZARD_PATTERN: [callbacks.wizard(callbacks.WIZARD_CRITERION, BIG),
                                   callbacks.wizard(callbacks.WIZARD_CANCEL, "go")],
    }
    for pattern, datas in samples.items():
        for data in datas:
            assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES, data
            assert re.match(pattern, data), (pattern, data)
            others = [p for p in samples if p != pattern]
            assert not any(re.match(p, data) for p in others), data


@pytest.mark.parametrize("data", [
    "ac:g:1:x", "ac:g:1234567890123456789:y", "ac:a:1:2:y", "ac:a:1:2:3:4:y", "ac:c:1:2",
    "ac:t:1", "ac:k:", "ac:d:KIND:sports", "ac:g:١:y", None, "",
])
def test_forged_data_is_not_read(data: str | None) -> None:
    assert callbacks.parse_answer(data) is None
    assert callbacks.parse_people(data) is None
    assert callbacks.parse_toggle(data) is None
    assert callbacks.parse_one(data) is None
    assert callbacks.parse_wizard(data) is None
