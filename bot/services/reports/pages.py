"""The report form cut to a phone's size: pages of criteria (a group of the scoring table,
or part of a long one), how far each page is filled, and each criterion's short name for
its button.

A page holds at most PAGE_SIZE criteria, so its screen fits one phone screen whatever the
table; a larger group is cut into near-equal parts ("II. Phong trào thi đua (1/2)"), and a
table without groups into pages of PAGE_SIZE. Pages are computed from the table alone, so a
button that names a page by its index finds the same page on the next press.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.formatting import ELLIPSIS, clip
from bot.services.scoring import is_optional
from storage.records import Criterion
from storage.reports.records import ReportValue

# Criteria on one page: two lines each, with the page's head and hint, stay within a
# phone screen (20 lines, 1,000 characters).
PAGE_SIZE = 5
# Lines of criteria (and their group headings) on one page of the chair's review.
REVIEW_LINES = 12
# A criterion's short name on its button: one button per row holds about 30 characters on
# a 412-px phone before Telegram cuts the label.
SHORT_NAME = 30
# A first clause shorter than this says too little alone ("Phát hiện", "Sơ kết").
MIN_CLAUSE = 12
# Where a title's first clause ends: the rest qualifies it ("…, chuyên môn được giao").
_CLAUSE_END = re.compile(r"\s*(?:[,;:(]|\s[–-]\s)")


@dataclass(frozen=True)
class Page:
    index: int  # 0-based, the page's place in the form
    group: str | None  # the criteria's group heading (None: the table has no groups)
    part: int  # 1-based part of a group cut in several pages
    parts: int
    criteria: tuple[Criterion, ...]
    first: int  # the number (1-based) of its first criterion in the whole table

    def number_of(self, criterion: Criterion) -> int:
        return self.first + self.criteria.index(criterion)

    @property
    def optional(self) -> bool:
        """Only bonus or penalty lines: nothing on it has to be filled."""
        return all(is_optional(c) for c in self.criteria)


@dataclass(frozen=True)
class Progress:
    filled: int
    total: int
    missing: int  # required criteria still empty
    points: Decimal  # the unit's own points on the page (penalties subtracted)

    @property
    def done(self) -> bool:
        return self.missing == 0 and self.filled > 0


def form_pages(criteria: Sequence[Criterion], size: int = PAGE_SIZE) -> tuple[Page, ...]:
    """The table's criteria, group by group (in table order), in pages of at most `size`."""
    runs: list[tuple[str | None, list[Criterion]]] = []
    for c in criteria:
        if runs and runs[-1][0] == c.group_name:
            runs[-1][1].append(c)
        else:
            runs.append((c.group_name, [c]))
    pages: list[Page] = []
    first = 1
    for group, members in runs:
        parts = -(-len(members) // size)  # ceiling division
        per = -(-len(members) // parts)  # near-equal parts: 6 → 3 + 3, not 5 + 1
        for part in range(parts):
            chunk = tuple(members[part * per:(part + 1) * per])
            pages.append(Page(len(pages), group, part + 1, parts, chunk, first))
            first += len(chunk)
    return tuple(pages)


def page_of(pages: Sequence[Page], criterion_id: int) -> Page | None:
    return next((p for p in pages if any(c.id == criterion_id for c in p.criteria)), None)


def progress(page: Page, values: Mapping[int, ReportValue]) -> Progress:
    filled = [c for c in page.criteria if c.id in values and values[c.id].filled]
    missing = sum(1 for c in page.criteria if not is_optional(c) and c not in filled)
    points = Decimal(0)
    for c in filled:
        own = values[c.id].self_points or Decimal(0)
        points += -own if c.penalty else own
    return Progress(len(filled), len(page.criteria), missing, points)


def short_name(criterion: Criterion, limit: int = SHORT_NAME) -> str:
    """The criterion as a button names it: the title's first clause (the whole title when
    that clause is a word or two), shortened at a word with an ellipsis ("Hoàn thành nhiệm
    vụ chính trị", "Số tiền vận động hỗ trợ cơ sở")."""
    title = " ".join(criterion.title.split())
    head = _CLAUSE_END.split(title, maxsplit=1)[0]
    name = clip(head if len(head) >= MIN_CLAUSE else title, limit)
    if name.endswith(ELLIPSIS):  # "mô hình mới,…" reads better as "mô hình mới…"
        name = name[:-1].rstrip(" ,;:–-") + ELLIPSIS
    return name



def review_pages(criteria: Sequence[Criterion], lines: int = REVIEW_LINES
                 ) -> tuple[tuple[Criterion, ...], ...]:
    """The chair's pages of a report: the form's pages, neighbours put together while
    their lines fit (two a criterion, one a group heading): the chair reads a report
    through, and fewer pages are fewer taps."""
    packed: list[list[Criterion]] = []
    used = 0
    for page in form_pages(criteria):
        need = 2 * len(page.criteria) + (page.group is not None)
        if packed and used + need <= lines:
            packed[-1] += page.criteria
            used += need
        else:
            packed.append(list(page.criteria))
            used = need
    return tuple(tuple(p) for p in packed)
