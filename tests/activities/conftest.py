"""The example block with one joint activity in its file (phase 2, scored on
HOAT_DONG_CHUNG), for the e2e tests of this feature."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import EXAMPLE_BLOCK

ACTIVITY = """

[[activities]]
code = "HOI_THAO_2023"
title = "Giao lưu thể dục, thể thao chào mừng Quốc khánh 2/9"
kind = "sports"
starts = 2023-08-25T07:30:00
ends = 2023-08-25T11:30:00
place = "Nhà thi đấu tỉnh Bình Thuận"
answer_by = 2023-08-20
criterion = "HOAT_DONG_CHUNG"
"""


def block_with_activity(folder: Path, extra: str = ACTIVITY) -> Path:
    path = folder / "khoi-thi-dua-6-activities.toml"
    path.write_text(EXAMPLE_BLOCK.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.fixture
def harness_block_file(tmp_path: Path) -> Path:
    return block_with_activity(tmp_path)
