"""`[ranking] grades`: read from the block file with every problem listed, stored in
blocks.settings by setup, and turned into the "Xếp loại" of a total."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.blockfile import parse_block_text
from bot.blockfile.model import BlockFileError
from bot.services.clock import ManualClock
from bot.services.ranking.grades import Grade, block_grades, grade_of
from bot.services.setup import apply_block_spec
from bot.texts import catalog
from storage import blocks as blocks_repo
from storage.db import Database
from tests.reports.conftest import local

EXAMPLE = (Path(__file__).resolve().parents[2] / "deploy" / "examples" /
           "khoi-thi-dua-6.toml").read_text(encoding="utf-8")
D = Decimal


def test_the_setting_is_read_best_first() -> None:
    spec = parse_block_text(EXAMPLE + '\n[ranking]\ngrades = { "Khá" = 70, "Xuất sắc" = 95, '
                                      '"Hoàn thành tốt" = 85.5 }\n')
    assert spec.ranking.grades == (("Xuất sắc", D(95)), ("Hoàn thành tốt", D("85.5")),
                                   ("Khá", D(70)))
    assert parse_block_text(EXAMPLE).ranking.grades == ()


def test_every_problem_is_listed_by_key_path() -> None:
    with pytest.raises(BlockFileError) as caught:
        parse_block_text(EXAMPLE + '\n[ranking]\ngrade = 1\ngrades = { "Xuất sắc" = 195, '
                                   '"Tốt" = "cao", "Khá" = 70, "Đạt" = 70 }\n')
    assert [str(p) for p in caught.value.problems] == [
        'ranking.grade: unknown key (did you mean "grades"?)',
        'ranking.grades."Xuất sắc": 195 is not a share between 0 and 100',
        'ranking.grades."Tốt": expected a number: the share (%) of full marks',
        'ranking.grades."Đạt": another grade starts at 70 too',
    ]
    with pytest.raises(BlockFileError, match="name at least one grade"):
        parse_block_text(EXAMPLE + "\n[ranking]\ngrades = {}\n")


async def test_setup_stores_it_and_the_export_reads_it(db: Database) -> None:
    spec = parse_block_text(EXAMPLE + '\n[ranking]\ngrades = { "Xuất sắc" = 90, "Đạt" = 50 }\n')
    report = await apply_block_spec(db, spec, ManualClock(local(2023, 3, 1, 9, 0)))
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, report.block_id)
    assert block is not None
    assert block.settings["ranking"] == {"grades": [["Xuất sắc", "90"], ["Đạt", "50"]]}
    grades = block_grades(block.settings, "vi", catalog())
    assert grades == (Grade("Xuất sắc", D(90)), Grade("Đạt", D(50)))
    assert grade_of(D("89.99"), D(100), grades) == "Đạt"
    assert grade_of(D(49), D(100), grades) == ""  # below every grade: an empty cell


def test_defaults_in_the_blocks_language_and_shares_of_full_marks() -> None:
    vi = block_grades({}, "vi", catalog())
    assert [(g.name, g.share) for g in vi] == [("Xuất sắc", 95), ("Tốt", 85), ("Khá", 70),
                                                ("Trung bình", 50), ("Yếu", 0)]
    assert [g.name for g in block_grades({"ranking": {"grades": []}}, "en", catalog())] == [
        "Excellent", "Good", "Fair", "Average", "Weak"]
    # the year of two phases: 95 % of 200 points
    assert grade_of(D(190), D(200), vi) == "Xuất sắc"
    assert grade_of(D("189.99"), D(200), vi) == "Tốt"
    assert grade_of(None, D(100), vi) == ""
