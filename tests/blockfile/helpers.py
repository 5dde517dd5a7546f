"""The block file parser: the example parses, and every rule names its key path."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.blockfile import (
    BlockFileError,
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
