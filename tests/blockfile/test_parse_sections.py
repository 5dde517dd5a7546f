"""[[phases]], [[criteria]], [covenant] and [reminders]."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import pytest

from bot.blockfile import BlockFileError, parse_block_text
from tests.blockfile.helpers import HCM, MINIMAL, example, only_problem, problems, variant

# --- [[phases]] ------------------------------------------------------------------------


def test_phase_end_before_start() -> None:
    assert only_problem(("end = 2023-06-30", "end = 2022-12-31")) == "phases[0]: end before start"


def test_phase_report_due_before_start() -> None:
    assert only_problem(("report_due = 2023-12-10T17:00:00", "report_due = 2023-06-30")) == (
        "phases[1]: report_due before start"
    )


def test_phase_report_due_after_end_is_allowed() -> None:
    spec = parse_block_text(variant(("report_due = 2023-06-20 ", "report_due = 2023-07-05 ")))
    assert spec.phases[0].report_due == datetime(2023, 7, 5, 17, tzinfo=HCM)


def test_phases_must_not_overlap() -> None:
    assert only_problem(("start = 2023-07-01", "start = 2023-06-30")) == (
        'phases[1]: overlaps phases[0] ("DOT1")'
    )


def test_phase_dates_must_be_dates() -> None:
    assert only_problem(("start = 2023-01-01", "start = 2023-01-01T08:00:00")) == (
        "phases[0].start: expected a date (YYYY-MM-DD), got date-time"
    )
    assert only_problem(("end = 2023-12-31", 'end = "31/12/2023"')) == (
        "phases[1].end: expected a date (YYYY-MM-DD), got string"
    )


def test_phase_required_keys() -> None:
    found = problems(
        variant(
            ('code = "DOT1"\nname = "Đợt 1"\nstart = 2023-01-01\nend = 2023-06-30\n', ""),
            ("report_due = 2023-06-20 ", "# "),
        )
    )
    assert found == [
        "phases[0].code: required",
        "phases[0].name: required",
        "phases[0].start: required",
        "phases[0].end: required",
        "phases[0].report_due: required",
    ]


def test_phase_far_from_block_year() -> None:
    assert only_problem(("end = 2023-12-31", "end = 2032-12-31")) == (
        "phases[1].end: 2032-12-31 is too far from block.year 2023"
    )


def test_duplicate_phase_code() -> None:
    assert only_problem(('code = "DOT2"', 'code = "DOT1"')) == 'phases[1].code: duplicate "DOT1"'


def test_report_due_offset_datetime_is_converted() -> None:
    spec = parse_block_text(
        variant(("report_due = 2023-06-20 ", "report_due = 2023-06-20T03:30:00Z "))
    )
    due = spec.phases[0].report_due
    assert due == datetime(2023, 6, 20, 10, 30, tzinfo=HCM)
    assert due.tzinfo == HCM and due.hour == 10


def test_report_due_local_datetime_is_block_time() -> None:
    spec = parse_block_text(
        variant(("report_due = 2023-12-10T17:00:00", "report_due = 2023-12-10T09:15:00"))
    )
    assert spec.phases[1].report_due == datetime(2023, 12, 10, 9, 15, tzinfo=HCM)


def test_report_due_wrong_type() -> None:
    assert only_problem(("report_due = 2023-12-10T17:00:00", "report_due = 17:00:00")) == (
        "phases[1].report_due: expected a date or date-time, got time"
    )


# --- [[criteria]] ----------------------------------------------------------------------


def test_criterion_kind() -> None:
    assert only_problem(('kind = "yesno"', 'kind = "bool"')) == (
        'criteria[3].kind: must be one of "score", "number", "percent", "yesno", "text"; '
        'got "bool"'
    )


def test_criterion_target_required_for_number_and_percent() -> None:
    assert only_problem(("target = 100000000\n", "")) == (
        'criteria[1].target: required for kind "number"'
    )
    assert only_problem(("target = 90\n", "")) == 'criteria[2].target: required for kind "percent"'


def test_criterion_target_range() -> None:
    assert only_problem(("target = 90", "target = 101")) == (
        'criteria[2].target: must be at most 100 for kind "percent"'
    )
    assert only_problem(("target = 100000000", "target = -1")) == "criteria[1].target: must be > 0"


def test_criterion_target_not_allowed_for_other_kinds() -> None:
    assert only_problem(("max_points = 40", "max_points = 40\ntarget = 5")) == (
        'criteria[0].target: not allowed for kind "score"'
    )


def test_criterion_max_points() -> None:
    assert only_problem(("max_points = 40", "max_points = 0")) == (
        'criteria[0].max_points: must be > 0 for kind "score"'
    )
    assert only_problem(("max_points = 40", "max_points = -2")) == (
        "criteria[0].max_points: must be >= 0"
    )
    assert only_problem(("max_points = 40", 'max_points = "40"')) == (
        "criteria[0].max_points: expected a finite number, got string"
    )
    assert only_problem(("max_points = 40", "max_points = nan")) == (
        "criteria[0].max_points: expected a finite number, got float"
    )
    assert only_problem(("max_points = 40\n", "")) == "criteria[0].max_points: required"


def test_criterion_max_points_decimal() -> None:
    spec = parse_block_text(variant(("max_points = 40", "max_points = 39.1")))
    assert spec.criteria[0].max_points == Decimal("39.1")


def test_criterion_bonus_and_penalty_exclusive() -> None:
    assert only_problem(
        ("max_points = 5\nbonus = true", "max_points = 5\nbonus = true\npenalty = true")
    ) == ("criteria[7]: bonus and penalty cannot both be true")


def test_criterion_title_required() -> None:
    assert only_problem(('title = "Tỷ lệ văn bản điện tử có chữ ký số"', 'title = ""')) == (
        "criteria[2].title: must not be empty"
    )


def test_duplicate_criterion_code() -> None:
    assert only_problem(('code = "KHEN_THUONG"', 'code = "NV_CHINH_TRI"')) == (
        'criteria[4].code: duplicate "NV_CHINH_TRI"'
    )


def test_criteria_must_be_tables() -> None:
    assert problems("criteria = [1]\n" + MINIMAL) == ["criteria[0]: expected a table, got integer"]


# --- [covenant] ------------------------------------------------------------------------


def test_covenant_is_optional() -> None:
    text = example()
    text = text[: text.index("[covenant]")] + text[text.index("[reminders]") :]
    assert parse_block_text(text).covenant is None


def test_covenant_required_keys() -> None:
    found = problems(variant(('title = "Giao ước thi đua năm 2023 – Khối thi đua 6"\n', "")))
    assert found == ["covenant.title: required"]
    assert only_problem(("preamble = ", "# preamble = ")) == "covenant.preamble: required"


def test_covenant_commitments() -> None:
    start = example().index("commitments = [")
    end = example().index("]", start) + 1
    block = example()[start:end]
    assert only_problem((block, "commitments = []")) == (
        "covenant.commitments: at least one commitment is required"
    )
    assert problems(variant((block, 'commitments = ["Một là", " ", 3, "Một là"]'))) == [
        "covenant.commitments[1]: must not be empty",
        "covenant.commitments[2]: expected a string, got integer",
        'covenant.commitments[3]: duplicate "Một là"',
    ]


def test_covenant_sign_by() -> None:
    spec = parse_block_text(
        variant(("sign_by = 2023-03-17", "sign_by = 2023-03-17T10:00:00+09:00"))
    )
    assert spec.covenant is not None
    assert spec.covenant.sign_by == datetime(2023, 3, 17, 8, 0, tzinfo=HCM)
    spec = parse_block_text(variant(("sign_by = 2023-03-17\n", "")))
    assert spec.covenant is not None and spec.covenant.sign_by is None
    assert only_problem(("sign_by = 2023-03-17", 'sign_by = "17/03/2023"')) == (
        "covenant.sign_by: expected a date or date-time, got string"
    )


# --- [reminders] -----------------------------------------------------------------------


def test_reminder_offsets() -> None:
    assert only_problem(('["7d", "3d", "1d", "2h"]', '["7d", "3 days", "1d", "2h"]')) == (
        'reminders.before_report_due[1]: "3 days" is not an offset like "7d", "2h" or "30m"'
    )
    assert only_problem(('["3d", "1d"]', '["3d", "3d"]')) == (
        'reminders.before_sign_by[1]: duplicate "3d"'
    )
    assert only_problem(('["3d", "1d"]', '"3d"')) == (
        "reminders.before_sign_by: expected an array of strings, got string"
    )
    spec = parse_block_text(variant(('["7d", "3d", "1d", "2h"]', '["30m", "48h"]')))
    assert spec.reminders.before_report_due == ("30m", "48h")


def test_reminder_at() -> None:
    assert only_problem(('at = "08:00"', 'at = "25:00"')) == (
        'reminders.at: "25:00" is not a time of day "HH:MM"'
    )
    assert only_problem(('at = "08:00"', "at = 08:00:00")) == (
        "reminders.at: expected a string, got time"
    )
    assert parse_block_text(variant(('at = "08:00"', 'at = "7:30"'))).reminders.at == time(7, 30)


def test_quiet_hours() -> None:
    off = parse_block_text(variant(('quiet_hours = "21:00-07:00"', 'quiet_hours = ""')))
    assert off.reminders.quiet_hours == ""
    padded = parse_block_text(
        variant(('quiet_hours = "21:00-07:00"', 'quiet_hours = "22:00 - 6:00"'))
    )
    assert padded.reminders.quiet_hours == "22:00-06:00"
    assert only_problem(('quiet_hours = "21:00-07:00"', 'quiet_hours = "21:00"')) == (
        'reminders.quiet_hours: "21:00" is not "" or a range "HH:MM-HH:MM"'
    )
    assert only_problem(('quiet_hours = "21:00-07:00"', 'quiet_hours = "21:00-21:00"')) == (
        'reminders.quiet_hours: "21:00-21:00" starts and ends at the same time'
    )


def test_reminder_booleans() -> None:
    assert only_problem(("skip_weekends = true", 'skip_weekends = "true"')) == (
        "reminders.skip_weekends: expected true or false, got string"
    )
    assert only_problem(("# group_summary = true", "group_summary = 0")) == (
        "reminders.group_summary: expected true or false, got integer"
    )


def test_reminders_must_be_a_table() -> None:
    assert problems(MINIMAL.replace("[block]", 'reminders = "daily"\n[block]')) == [
        "reminders: expected a table ([reminders]), got string"
    ]


# --- all at once -----------------------------------------------------------------------


def test_every_problem_is_reported_at_once() -> None:
    text = variant(
        ('code = "KTD6-2023"', ""),
        ('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Hanoi2"'),
        ('code = "BDV"', 'code = "BTC"'),
        ("TIEN_VAN_DONG = 200000000", "FOO = 1"),
        ("end = 2023-06-30", "end = 2022-06-30"),
        ("target = 100000000\n", ""),
        ("max_points = 5\nbonus = true", "max_points = 5\nbonus = true\npenalty = true"),
        ('at = "08:00"', 'at = "8h"'),
    )
    found = problems(text)
    assert found == [
        "block.code: required",
        'block.timezone: unknown time zone "Asia/Hanoi2"',
        'units[5].code: duplicate "BTC"',
        'units[8].targets.FOO: no criterion with code "FOO"',
        "phases[0]: end before start",
        'criteria[1].target: required for kind "number"',
        "criteria[7]: bonus and penalty cannot both be true",
        'reminders.at: "8h" is not a time of day "HH:MM"',
    ]
    with pytest.raises(BlockFileError) as info:
        parse_block_text(text)
    assert str(info.value).splitlines() == found
