"""Reader for the ``[ranking]`` section: how the scoring table grades units (Xếp loại).

    [ranking]
    grades = { "Xuất sắc" = 95, "Tốt" = 85, "Khá" = 70, "Trung bình" = 50, "Yếu" = 0 }

Each grade is a name and a share (%) of the period's full marks (the base table's points,
times the sum of phase weights for the year; see bot.services.ranking.grades). Without
the section the defaults above apply, named in the block's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.blockfile.validators import Problems, Table, clean, join, section_table, to_decimal

RANKING_KEYS = ("grades",)
GRADE_NAME_MAX = 40  # a cell of the "Xếp loại" column
HUNDRED = Decimal(100)


def read_ranking(data: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """RankingSpec keywords; every problem recorded by key path."""
    table = section_table(data, "ranking", problems)
    if table is None:
        return {}
    t = Table(table, "ranking", problems, RANKING_KEYS)
    grades = t.table("grades")
    if grades is None:
        return {}
    path = t.at("grades")
    found: list[tuple[str, Decimal]] = []
    shares: set[Decimal] = set()
    for raw_name, raw_share in grades.items():
        at = join(path, raw_name)
        name = clean(raw_name)
        share = to_decimal(raw_share)
        if not name:
            problems.add(at, "a grade needs a name")
        elif len(name) > GRADE_NAME_MAX:
            problems.add(at, f"is too long ({len(name)} characters, at most {GRADE_NAME_MAX})")
        if share is None:
            problems.add(at, "expected a number: the share (%) of full marks")
        elif not 0 <= share <= HUNDRED:
            problems.add(at, f"{share} is not a share between 0 and 100")
        elif share in shares:
            problems.add(at, f"another grade starts at {share} too")
        if name and len(name) <= GRADE_NAME_MAX and share is not None and \
                0 <= share <= HUNDRED and share not in shares:
            found.append((name, share))
            shares.add(share)
    if not grades:
        problems.add(path, "name at least one grade, or leave the key out for the defaults")
    return {"grades": tuple(sorted(found, key=lambda g: -g[1]))}
