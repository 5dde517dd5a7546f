"""[[awards]] and [review] in the block file: defaults, every problem listed with its key
path, nothing written when the file is wrong, what setup stores in blocks.settings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.blockfile import BlockFileError, load_block_file, parse_block_text
from bot.services.awards.settings import rules_from
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from storage import blocks as blocks_repo
from storage.db import Database
from storage.tables import blocks
from tests.awards.conftest import AWARDS, awards_block
from tests.e2e.harness import DEFAULT_NOW, EXAMPLE_BLOCK

BAD = """
[[awards]]
code = "co ubnd"
name = "Cờ thi đua"
seats = 0
threshold = 1.5
candidats_top = 3

[[awards]]
code = "BK"
name = "cờ thi đua"
seats = 3
candidates_top = 2

[[awards]]
code = "BK"
name = "Giấy khen"
seats = 12

[review]
quorum = 0
self_vote = "yes"
remind_before = ["30m", "5x", "30m"]
"""


def test_the_sections_and_their_defaults(tmp_path: Path) -> None:
    spec = load_block_file(awards_block(tmp_path))
    flag, certificate = spec.awards
    assert (flag.code, flag.seats, flag.threshold, flag.candidates_top) == (
        "CO_UBND", 1, Decimal("0.5"), 3)
    assert certificate.candidates_top is None
    assert spec.review.quorum == Decimal("0.67") and spec.review.remind_before == ("30m", "5m")
    plain = load_block_file(awards_block(tmp_path, '\n[[awards]]\ncode = "X"\nname = "X"\n'))
    assert plain.awards[0].seats == 1 and plain.awards[0].threshold == Decimal("0.5")
    assert plain.review.self_vote is True and plain.review.quorum == Decimal("0.67")
    assert load_block_file(EXAMPLE_BLOCK).awards == ()


def test_every_problem_is_listed_with_its_path() -> None:
    with pytest.raises(BlockFileError) as caught:
        parse_block_text(EXAMPLE_BLOCK.read_text(encoding="utf-8") + BAD)
    found = [str(p) for p in caught.value.problems if p.path.startswith(("awards", "review"))]
    assert found == [
        'awards[0].candidats_top: unknown key (did you mean "candidates_top"?)',
        'awards[0].code: "co ubnd" may contain only A-Z, 0-9, "_" and "-"',
        "awards[0].seats: must be 1 or more, got 0",
        "awards[0].threshold: must be a share at least 0 and below 1 (0.5 is half), got 1.5",
        'awards[1].name: duplicate "cờ thi đua"',
        "awards[1].candidates_top: 2 candidates cannot fill 3 seats",
        'awards[2].code: duplicate "BK"',
        "awards[2].seats: 12 seats for a block of 9 units",
        "review.quorum: must be a share above 0 and at most 1 (0.5 is half), got 0",
        "review.self_vote: expected true or false, got string",
        'review.remind_before[1]: "5x" is not a time before closing like "30m" or "2h"',
        'review.remind_before[2]: duplicate "30m"',
    ]


async def test_setup_stores_the_rules_and_a_bad_file_writes_nothing(
        db: Database, tmp_path: Path) -> None:
    clock = ManualClock(DEFAULT_NOW)
    report = await apply_block_spec(db, load_block_file(awards_block(tmp_path)), clock)
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, report.block_id)
    assert block is not None
    rules = rules_from(block.settings)
    assert [(a.code, a.seats, a.threshold) for a in rules.awards] == [
        ("CO_UBND", 1, Decimal("0.5")), ("BK_UBND", 3, Decimal("0.5"))]
    assert rules.quorum == Decimal("0.67") and rules.cites[0].startswith("Luật Thi đua")
    with pytest.raises(BlockFileError):
        parse_block_text(EXAMPLE_BLOCK.read_text(encoding="utf-8") + AWARDS.replace(
            "seats = 3", "seats = 0"))
    async with db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(blocks))).scalar_one() == 1
