"""The example file, defaults, and problems with the file itself."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.blockfile import BlockFileError, BlockSpec, load_block_file, parse_block_text
from tests.blockfile.helpers import (
    EXAMPLE,
    HCM,
    MINIMAL,
    SHARED_EXAMPLE,
    example,
    problems,
    variant,
)

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
    # The copy keeps every line of the brief's example, in order; it only adds comments that
    # document newer optional keys and the example's one short_name (the brief is read-only).
    shared = SHARED_EXAMPLE.read_text(encoding="utf-8").splitlines()
    ours = iter(EXAMPLE.read_text(encoding="utf-8").splitlines())
    added: list[str] = []
    for line in shared:
        for candidate in ours:
            if candidate == line:
                break
            added.append(candidate)
        else:
            pytest.fail(f"line of the shared example missing from the copy: {line!r}")
    added.extend(ours)
    real = [a for a in added if a.strip() and not a.lstrip().startswith("#")]
    assert all(a.startswith("short_name = ") for a in real), real


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
