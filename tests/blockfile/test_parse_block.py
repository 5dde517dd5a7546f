"""[block], codes and [[units]]."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.blockfile import parse_block_text
from tests.blockfile.helpers import MINIMAL, only_problem, problems, variant

# --- [block] ---------------------------------------------------------------------------


def test_block_code_required() -> None:
    assert only_problem(('code = "KTD6-2023"', "")) == "block.code: required"


def test_block_name_empty_after_strip() -> None:
    assert (
        only_problem(('name = "Khối thi đua 6"', 'name = "   "'))
        == "block.name: must not be empty"
    )


def test_block_required() -> None:
    assert problems(MINIMAL.replace("[block]", "[blok]")) == [
        'blok: unknown key (did you mean "block"?)',
        "block: required",
    ]


def test_block_year_type_and_range() -> None:
    assert only_problem(("year = 2023", 'year = "2023"')) == (
        "block.year: expected an integer, got string"
    )
    assert only_problem(("year = 2023", "year = 20233")) == (
        "block.year: must be between 2000 and 2100; got 20233"
    )


def test_block_timezone_unknown() -> None:
    assert only_problem(('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Hanoi2"')) == (
        'block.timezone: unknown time zone "Asia/Hanoi2"'
    )


def test_block_timezone_used_for_deadlines() -> None:
    spec = parse_block_text(variant(('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Tokyo"')))
    assert spec.phases[0].report_due == datetime(2023, 6, 20, 17, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_block_language_and_late_reports() -> None:
    assert only_problem(('language = "vi"', 'language = "fr"')) == (
        'block.language: must be one of "vi", "en"; got "fr"'
    )
    assert only_problem(('# late_reports = "accept"', 'late_reports = "later"')) == (
        'block.late_reports: must be one of "accept", "refuse"; got "later"'
    )


def test_block_booleans() -> None:
    assert only_problem(("# vice_chair_rights = true", 'vice_chair_rights = "yes"')) == (
        "block.vice_chair_rights: expected true or false, got string"
    )
    assert only_problem(("# post_ranking = true", "post_ranking = 1")) == (
        "block.post_ranking: expected true or false, got integer"
    )


def test_phase_weights_keys_and_values() -> None:
    found = problems(
        variant(
            ("# phase_weights = { DOT1 = 1, DOT2 = 1 }", "phase_weights = { DOT1 = -1, FOO = 1 }")
        )
    )
    assert found == [
        "block.phase_weights.DOT1: must be >= 0",
        'block.phase_weights.FOO: no phase with code "FOO"',
        'block.phase_weights: no weight for phase "DOT1"',
        'block.phase_weights: no weight for phase "DOT2"',
    ]


def test_phase_weights_not_all_zero() -> None:
    assert only_problem(
        ("# phase_weights = { DOT1 = 1, DOT2 = 1 }", "phase_weights = { DOT1 = 0, DOT2 = 0 }")
    ) == ("block.phase_weights: at least one weight must be > 0")


def test_unknown_keys_everywhere() -> None:
    found = problems(
        variant(
            ('language = "vi"', 'language = "vi"\ncolour = "red"'),
            ('role = "vice_chair"', 'role = "vice_chair"\nemail = "x@y"'),
            ("[reminders]", "[reminders]\nevery = 1"),
        )
        + "\n[extra]\nx = 1\n"
    )
    assert found == [
        "extra: unknown key",
        "block.colour: unknown key",
        "units[1].email: unknown key",
        "reminders.every: unknown key",
    ]


def test_unknown_key_suggests_close_match() -> None:
    assert only_problem(('timezone = "Asia/Ho_Chi_Minh"', 'timzone = "Asia/Ho_Chi_Minh"')) == (
        'block.timzone: unknown key (did you mean "timezone"?)'
    )


# --- codes -----------------------------------------------------------------------------


def test_code_characters() -> None:
    assert only_problem(('code = "UBKT"', 'code = "ubkt"')) == (
        'units[2].code: "ubkt" may contain only A-Z, 0-9, "_" and "-"'
    )
    assert only_problem(('code = "DOT1"', 'code = "ĐỢT 1"')) == (
        'phases[0].code: "ĐỢT 1" may contain only A-Z, 0-9, "_" and "-"'
    )


def test_unit_code_at_most_16() -> None:
    ok = parse_block_text(variant(('code = "UBKT"', 'code = "' + "U" * 16 + '"')))
    assert ok.units[2].code == "U" * 16
    assert only_problem(('code = "UBKT"', 'code = "' + "U" * 17 + '"')) == (
        f'units[2].code: "{"U" * 17}" is too long (17 characters, at most 16)'
    )


def test_other_codes_at_most_32() -> None:
    assert only_problem(('code = "SANG_KIEN"', 'code = "' + "S" * 33 + '"')) == (
        f'criteria[7].code: "{"S" * 33}" is too long (33 characters, at most 32)'
    )
    assert only_problem(('code = "KTD6-2023"', 'code = "' + "K" * 33 + '"')) == (
        f'block.code: "{"K" * 33}" is too long (33 characters, at most 32)'
    )


def test_codes_are_stripped() -> None:
    assert parse_block_text(variant(('code = "UBKT"', 'code = "  UBKT "'))).units[2].code == "UBKT"


def test_duplicate_codes() -> None:
    assert only_problem(('code = "BDV"', 'code = "BTG"')) == 'units[3].code: duplicate "BTG"'
    assert only_problem(('code = "BDV"', 'code = "VPTU"')) == 'units[3].code: duplicate "VPTU"'


# --- [[units]] -------------------------------------------------------------------------


def test_at_least_one_unit() -> None:
    text = MINIMAL[: MINIMAL.index("[[units]]")]
    assert problems(text) == ["units: at least one unit is required"]


def test_unit_name_required_and_unique() -> None:
    assert only_problem(('name = "Ban Dân vận Tỉnh ủy"', "")) == "units[3].name: required"
    assert only_problem(('name = "Ban Dân vận Tỉnh ủy"', 'name = "Ban Tổ chức Tỉnh ủy"')) == (
        'units[5].name: duplicate "Ban Tổ chức Tỉnh ủy"'
    )


def test_exactly_one_chair() -> None:
    assert only_problem(('role = "chair"', 'role = "member"')) == (
        'units: no unit has role "chair"'
    )
    assert only_problem(('role = "vice_chair"', 'role = "chair"')) == (
        'units[1].role: only one unit may be "chair"; "VPTU" already is'
    )


def test_at_most_one_vice_chair() -> None:
    assert only_problem(
        (
            'name = "Ủy ban Kiểm tra Tỉnh ủy"',
            'name = "Ủy ban Kiểm tra Tỉnh ủy"\nrole = "vice_chair"',
        )
    ) == ('units[2].role: only one unit may be "vice_chair"; "BTG" already is')


def test_unit_role_values() -> None:
    assert only_problem(('role = "vice_chair"', 'role = "deputy"')) == (
        'units[1].role: must be one of "chair", "vice_chair", "member"; got "deputy"'
    )


def test_unit_targets() -> None:
    assert only_problem(("TIEN_VAN_DONG = 200000000", "FOO = 5")) == (
        'units[8].targets.FOO: no criterion with code "FOO"'
    )
    assert only_problem(("TIEN_VAN_DONG = 200000000", "NV_CHINH_TRI = 5")) == (
        'units[8].targets.NV_CHINH_TRI: criterion "NV_CHINH_TRI" has kind "score"; '
        'targets need "number", "percent"'
    )
    assert only_problem(("TIEN_VAN_DONG = 200000000", "TIEN_VAN_DONG = 0")) == (
        "units[8].targets.TIEN_VAN_DONG: must be > 0"
    )
    assert only_problem(("TIEN_VAN_DONG = 200000000", 'TIEN_VAN_DONG = "200.000.000"')) == (
        "units[8].targets.TIEN_VAN_DONG: expected a number, got string"
    )
    assert only_problem(("TIEN_VAN_DONG = 200000000", "CHUYEN_DOI_SO = 120")) == (
        'units[8].targets.CHUYEN_DOI_SO: must be at most 100 for kind "percent"'
    )
    assert only_problem(("targets = { TIEN_VAN_DONG = 200000000 }", "targets = 5")) == (
        "units[8].targets: expected a table, got integer"
    )


def test_unit_percent_target_is_kept() -> None:
    spec = parse_block_text(variant(("TIEN_VAN_DONG = 200000000", "CHUYEN_DOI_SO = 95.5")))
    assert spec.units[8].targets == {"CHUYEN_DOI_SO": Decimal("95.5")}


def test_unit_names_are_nfc_and_stripped() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban Kiểm tra Tỉnh ủy")
    assert decomposed != "Ủy ban Kiểm tra Tỉnh ủy"
    spec = parse_block_text(
        variant(('name = "Ủy ban Kiểm tra Tỉnh ủy"', f'name = "  {decomposed}  "'))
    )
    assert spec.units[2].name == unicodedata.normalize("NFC", "Ủy ban Kiểm tra Tỉnh ủy")
