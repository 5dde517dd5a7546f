"""Xếp loại: the grade of a unit's total, from the block file's `[ranking] grades`.

A grade's number is a share (%) of the period's full marks: the base table's points
(100 in most blocks, bonus not counted) times the sum of the phase weights for the year.
On a 100-point table one phase's "Xuất sắc = 95" is simply "from 95 points"; the same
setting serves the year total, whatever the weights. A unit's total at or above a grade's
share gets the first such grade, best first; below every share, no grade (an empty cell),
unless the list ends with a grade at 0.

Stored in blocks.settings as `{"ranking": {"grades": [["Xuất sắc", "95"], …]}}`; without
it the defaults below apply, named in the block's language (catalog `grade-default-*`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.services.scoring import HUNDRED, round_points
from bot.texts import Catalog

# (catalog key, share %), best first.
DEFAULT_GRADES = (("excellent", Decimal(95)), ("good", Decimal(85)), ("fair", Decimal(70)),
                  ("average", Decimal(50)), ("weak", Decimal(0)))


@dataclass(frozen=True)
class Grade:
    name: str
    share: Decimal  # % of full marks

    def points(self, full_marks: Decimal) -> Decimal:
        """The least total that earns this grade."""
        return round_points(full_marks * self.share / HUNDRED)


def block_grades(settings: Mapping[str, Any], lang: str, texts: Catalog) -> tuple[Grade, ...]:
    """The block's grades, best first (the defaults when the block file names none)."""
    raw = (settings.get("ranking") or {}).get("grades")
    grades: list[Grade] = []
    for item in raw or ():
        try:
            grades.append(Grade(str(item[0]), Decimal(str(item[1]))))
        except (IndexError, TypeError, InvalidOperation):
            continue  # setup validated it; a hand-edited database keeps the rest
    if not grades:
        grades = [Grade(texts.plain(lang, f"grade-default-{key}"), share)
                  for key, share in DEFAULT_GRADES]
    return tuple(sorted(grades, key=lambda g: -g.share))


def grade_of(total: Decimal | None, full_marks: Decimal, grades: Sequence[Grade]) -> str:
    """The grade's name, "" below every grade or without a total."""
    if total is None:
        return ""
    for grade in grades:
        if total >= grade.points(full_marks):
            return grade.name
    return ""
