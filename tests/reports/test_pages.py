"""The form's pages (bot.services.reports.pages): a group per page, a long group cut into
near-equal parts, a table without groups in pages of PAGE_SIZE; the chair's pages put
neighbours together; short names for buttons."""

from __future__ import annotations

from dataclasses import replace

from bot.services.reports.pages import PAGE_SIZE, form_pages, review_pages, short_name
from tests.reports.helpers import crit


def test_a_page_per_group_and_a_long_group_in_equal_parts() -> None:
    criteria = [crit(i, "score", 10, group="I") for i in range(1, 3)]
    criteria += [crit(i, "score", 10, group="II") for i in range(3, 9)]
    criteria += [crit(9, "score", 5, group="Điểm thưởng", bonus=True)]
    pages = form_pages(criteria)
    assert [(p.group, p.part, p.parts, len(p.criteria)) for p in pages] == [
        ("I", 1, 1, 2), ("II", 1, 2, 3), ("II", 2, 2, 3), ("Điểm thưởng", 1, 1, 1)]
    assert [p.first for p in pages] == [1, 3, 6, 9] and [p.index for p in pages] == [0, 1, 2, 3]
    assert pages[2].number_of(criteria[5]) == 6
    assert [p.optional for p in pages] == [False, False, False, True]


def test_a_table_without_groups_is_paged_too() -> None:
    criteria = [crit(i, "score", 1, group=None) for i in range(1, 13)]
    pages = form_pages(criteria)
    assert all(p.group is None for p in pages)
    assert [len(p.criteria) for p in pages] == [4, 4, 4]  # near-equal, none over PAGE_SIZE
    assert all(len(p.criteria) <= PAGE_SIZE for p in pages)


def test_the_chair_reads_neighbouring_groups_together() -> None:
    criteria = [crit(1, "score", 1, group="I"), crit(2, "score", 1, group="I"),
                crit(3, "score", 1, group="II"), crit(4, "score", 1, group="III"),
                crit(5, "score", 1, group="III"), crit(6, "score", 1, group="III"),
                crit(7, "score", 1, group="IV")]
    pages = review_pages(criteria)
    # two lines a criterion, one a heading, twelve lines a page: I and II, then III and IV
    assert [[c.id for c in p] for p in pages] == [[1, 2, 3], [4, 5, 6, 7]]
    assert sum(len(p) for p in pages) == len(criteria)


def test_short_names_keep_the_first_clause_or_enough_of_the_title() -> None:
    base = crit(1, "score", 1)
    cases = {
        "Hoàn thành nhiệm vụ chính trị, chuyên môn được giao": "Hoàn thành nhiệm vụ chính trị",
        "Phát hiện, biểu dương, khen thưởng điển hình tiên tiến": "Phát hiện, biểu dương, khen…",
        "Kết quả nổi bật, mô hình mới, cách làm hay": "Kết quả nổi bật",
        "Chậm nộp báo cáo": "Chậm nộp báo cáo",
    }
    for title, name in cases.items():
        assert short_name(replace(base, title=title)) == name
