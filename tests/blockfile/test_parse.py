"""The block file parser: the example parses, and every rule names its key path."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.blockfile import (
    BlockFileError,
    BlockSpec,
    load_block_file,
    parse_block_text,
)

REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "deploy" / "examples" / "khoi-thi-dua-6.toml"
SHARED_EXAMPLE = REPO.parent / "shared" / "examples" / "khoi-thi-dua-6.toml"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")

MINIMAL = """
[block]
code = "K1"
name = "Khối 1"
year = 2024

[[units]]
code = "A"
name = "Đơn vị A"
role = "chair"
"""


def example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def variant(*edits: tuple[str, str], text: str | None = None) -> str:
    """The example with each ``old`` replaced by ``new``; ``old`` must occur exactly once."""
    text = example() if text is None else text
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def problems(text: str) -> list[str]:
    with pytest.raises(BlockFileError) as info:
        parse_block_text(text)
    return [str(problem) for problem in info.value.problems]


def only_problem(*edits: tuple[str, str], text: str | None = None) -> str:
    found = problems(variant(*edits, text=text))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def spec() -> BlockSpec:
    return load_block_file(EXAMPLE)


# --- the example file ------------------------------------------------------------------


def test_example_block(spec: BlockSpec) -> None:
    assert spec.code == "KTD6-2023"
    assert spec.name == "Khối thi đua 6"
    assert spec.province == "Bình Thuận"
    assert spec.year == 2023
    assert spec.theme is not None and spec.theme.startswith("Đoàn kết, kỷ cương")
    assert spec.timezone == "Asia/Ho_Chi_Minh"
    assert spec.language == "vi"
    # Commented-out optional keys take the model defaults.
    assert spec.vice_chair_rights is True
    assert spec.late_reports == "accept"
    assert spec.phase_weights == {}
    assert spec.post_ranking is True


def test_example_units(spec: BlockSpec) -> None:
    assert len(spec.units) == 9
    assert isinstance(spec.units, tuple)
    assert [u.code for u in spec.units if u.role == "chair"] == ["VPTU"]
    assert [u.code for u in spec.units if u.role == "vice_chair"] == ["BTG"]
    assert spec.units[0].slogan == "Đoàn kết, đổi mới, kỷ cương, trách nhiệm, chuyên nghiệp"
    assert spec.units[4].name == "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    assert spec.units[2].role == "member"
    bbt = spec.units[8]
    assert bbt.code == "BBT"
    assert bbt.targets == {"TIEN_VAN_DONG": Decimal("200000000")}
    assert isinstance(bbt.targets["TIEN_VAN_DONG"], Decimal)


def test_example_phases(spec: BlockSpec) -> None:
    dot1, dot2 = spec.phases
    assert (dot1.code, dot1.name, dot1.start, dot1.end) == (
        "DOT1",
        "Đợt 1",
        date(2023, 1, 1),
        date(2023, 6, 30),
    )
    assert dot1.report_due == datetime(2023, 6, 20, 17, 0, tzinfo=HCM)
    assert dot1.report_due.utcoffset() == timedelta(hours=7)
    assert dot2.report_due == datetime(2023, 12, 10, 17, 0, tzinfo=HCM)
    assert dot2.report_due.tzinfo is not None
    assert dot2.theme is not None and "Quốc khánh 2/9" in dot2.theme


def test_example_criteria(spec: BlockSpec) -> None:
    assert len(spec.criteria) == 9
    by_code = {c.code: c for c in spec.criteria}
    assert by_code["NV_CHINH_TRI"].max_points == Decimal(40)
    money = by_code["TIEN_VAN_DONG"]
    assert (money.kind, money.unit, money.target) == ("number", "đồng", Decimal(100000000))
    assert by_code["CHUYEN_DOI_SO"].target == Decimal(90)
    assert by_code["HOAT_DONG_CHUNG"].kind == "yesno"
    assert by_code["KET_QUA_NOI_BAT"].max_points == Decimal(0)
    assert by_code["SANG_KIEN"].bonus and not by_code["SANG_KIEN"].penalty
    assert by_code["TRE_HAN"].penalty and not by_code["TRE_HAN"].bonus
    assert by_code["NV_CHINH_TRI"].group == "I. Nhiệm vụ chính trị"
    table_total = sum(c.max_points for c in spec.criteria if not (c.bonus or c.penalty))
    assert table_total == Decimal(100)


def test_example_covenant_and_reminders(spec: BlockSpec) -> None:
    assert spec.covenant is not None
    assert spec.covenant.title == "Giao ước thi đua năm 2023 – Khối thi đua 6"
    assert len(spec.covenant.commitments) == 5
    assert isinstance(spec.covenant.commitments, tuple)
    assert spec.covenant.sign_by == datetime(2023, 3, 17, 17, 0, tzinfo=HCM)
    assert spec.covenant.sign_by.utcoffset() == timedelta(hours=7)
    r = spec.reminders
    assert r.before_report_due == ("7d", "3d", "1d", "2h")
    assert r.before_sign_by == ("3d", "1d")
    assert r.at == time(8, 0)
    assert r.quiet_hours == "21:00-07:00"
    assert r.skip_weekends is True
    assert r.group_summary is True


def test_load_and_parse_agree() -> None:
    assert load_block_file(str(EXAMPLE)) == parse_block_text(example())


@pytest.mark.skipif(not SHARED_EXAMPLE.exists(), reason="shared/ not checked out beside repo")
def test_deploy_copy_matches_shared_example() -> None:
    assert EXAMPLE.read_bytes() == SHARED_EXAMPLE.read_bytes()


def test_optional_keys_uncommented() -> None:
    spec = parse_block_text(
        variant(
            ("# vice_chair_rights = true", "vice_chair_rights = false"),
            ('# late_reports = "accept"', 'late_reports = "refuse"'),
            (
                "# phase_weights = { DOT1 = 1, DOT2 = 1 }",
                "phase_weights = { DOT1 = 1, DOT2 = 2.5 }",
            ),
            ("# post_ranking = true", "post_ranking = false"),
            ("# group_summary = true", "group_summary = false"),
        )
    )
    assert spec.vice_chair_rights is False
    assert spec.late_reports == "refuse"
    assert spec.phase_weights == {"DOT1": Decimal(1), "DOT2": Decimal("2.5")}
    assert spec.post_ranking is False
    assert spec.reminders.group_summary is False


def test_minimal_file_takes_defaults() -> None:
    spec = parse_block_text(MINIMAL)
    assert spec.units[0].role == "chair"
    assert spec.phases == () and spec.criteria == () and spec.covenant is None
    assert spec.timezone == "Asia/Ho_Chi_Minh"
    assert spec.reminders.before_report_due == ("7d", "3d", "1d", "2h")


# --- files and syntax ------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(BlockFileError) as info:
        load_block_file(path)
    assert [str(p) for p in info.value.problems] == [f"{path}: file not found"]


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(BlockFileError) as info:
        load_block_file(tmp_path)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].path == str(tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.toml"
    path.write_bytes(MINIMAL.encode("utf-8").replace("Khối".encode(), b"Kh\xe1i"))
    with pytest.raises(BlockFileError) as info:
        load_block_file(path)
    assert len(info.value.problems) == 1
    assert "UTF-8" in info.value.problems[0].message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_block_file(path).code == "K1"


def test_toml_syntax_error_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(variant(("year = 2023", "year = ")), encoding="utf-8")
    with pytest.raises(BlockFileError) as info:
        load_block_file(path)
    (problem,) = info.value.problems
    assert problem.path == str(path)
    assert "line 8" in problem.message


def test_syntax_error_default_source() -> None:
    assert problems("[block\n") == [
        "<block file>: Expected ']' at the end of a table declaration (at line 1, column 7)"
    ]


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
