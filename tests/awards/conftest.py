"""Fixtures of the award vote's tests: the example block (nine units) with two awards and
the review's rules, the chair's clock on a quiet morning of the year."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import EXAMPLE_BLOCK

AWARDS = """
[[awards]]
code = "CO_UBND"
name = "Cờ thi đua của UBND tỉnh"
seats = 1
threshold = 0.5
candidates_top = 3

[[awards]]
code = "BK_UBND"
name = "Bằng khen của Chủ tịch UBND tỉnh"
seats = 3
threshold = 0.5

[review]
quorum = 0.67
self_vote = true
remind_before = ["30m", "5m"]
cites = ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
         "Quy chế tổ chức và hoạt động của Khối thi đua 6"]
"""


def awards_block(folder: Path, extra: str = AWARDS) -> Path:
    """The example block file with the award sections."""
    path = folder / "khoi-awards.toml"
    path.write_text(EXAMPLE_BLOCK.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.fixture
def harness_block_file(tmp_path: Path) -> Path:
    return awards_block(tmp_path)
