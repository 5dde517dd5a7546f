"""The progress chart shows what is behind: units sorted by how far they are from their
targets, only the targets with a gap, the units that met everything named once, and a
short message when nothing is behind."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.charts import ProgressChart, ProgressEntry, progress_sheet
from bot.charts.behind import behind, shortfall, shown_percent
from bot.charts.progress_table import DONE, HALF, LOW, NONE, band, plan_table
from tests.charts import samples
from tests.charts.extents import labels

D = Decimal
CRITERIA = (("A", "Số tiền vận động"), ("B", "Tỷ lệ văn bản điện tử"), ("C", "Đảng viên mới"))


def chart_of(*rows: tuple[str, dict[str, Decimal]]) -> ProgressChart:
    entries = tuple(ProgressEntry(f"U{i}", name, values) for i, (name, values) in
                    enumerate(rows))
    return ProgressChart("Khối thi đua 6", "Đợt 1", samples.AS_OF, CRITERIA, entries)


def test_units_are_sorted_by_how_far_they_are_from_their_targets() -> None:
    chart = chart_of(
        ("Gần đạt", {"A": D(90), "B": D(100), "C": D(100)}),
        ("Đã đạt", {"A": D(150), "B": D(100), "C": D(120)}),
        ("Chưa báo cáo", {}),
        ("Một nửa", {"A": D(50), "B": D(50), "C": D(200)}),  # 200 % does not make up for B
        ("Cũng gần đạt", {"A": D(100), "B": D(90), "C": D(100)}),
    )
    found = behind(chart)
    assert [e.unit_name for e in found.rows] == ["Chưa báo cáo", "Một nửa", "Gần đạt",
                                                 "Cũng gần đạt"]  # a tie keeps the file order
    assert [e.unit_name for e in found.done] == ["Đã đạt"]
    assert shortfall(chart.entries[3], ["A", "B", "C"]) == D(100) / 3
    assert [c.code for c in found.columns] == ["A", "B", "C"]


def test_only_targets_with_a_gap_are_columns() -> None:
    chart = chart_of(("X", {"A": D(100), "B": D(20), "C": D(100)}),
                     ("Y", {"A": D(120), "B": D(100), "C": D(101)}))
    found = behind(chart)
    assert [(c.number, c.code) for c in found.columns] == [(2, "B")]  # numbered as in the table
    texts = [x.text for x in labels(progress_sheet(chart))]
    heads = " ".join(texts)
    assert "Tỷ lệ văn bản" in heads and "Số tiền" not in heads and "Đảng viên" not in heads
    assert "20%" in texts and "…" not in texts
    assert "Đã đạt toàn bộ chỉ tiêu: Y." in texts
    assert "Còn 1/2 đơn vị chưa đạt đủ chỉ tiêu" in texts


def test_the_rows_are_drawn_in_that_order() -> None:
    chart = samples.progress(15, 5)
    expected = [e.label for e in behind(chart).rows]
    sheet = progress_sheet(chart)
    table = plan_table(sheet, chart, behind(chart))
    assert len(table.names) == len(expected)
    drawn = [t.get_text() for t in sheet.fig.texts if t.get_text() in set(table.names)]
    assert drawn == list(table.names)
    assert all(e.startswith(n.removesuffix("…")) for n, e in zip(drawn, expected, strict=True))


def test_many_targets_split_into_panels_that_still_fit() -> None:
    chart = samples.progress(30, 20)
    sheet = progress_sheet(chart)
    table = plan_table(sheet, chart, behind(chart))
    assert len(table.panels) >= 2 and not table.sign
    assert sum(len(p) for p in table.panels) == len(behind(chart).columns)
    few = plan_table(sheet, samples.progress(9, 2), behind(samples.progress(9, 2)))
    assert few.sign and len(few.panels) == 1  # titled heads, "%" after the figures


def test_when_everything_is_met_a_message_and_the_units() -> None:
    chart = samples.all_met(9, 3)
    assert not behind(chart).rows
    texts = [x.text for x in labels(progress_sheet(chart))]
    assert "Tất cả 9 đơn vị đã đạt toàn bộ chỉ tiêu." in texts
    assert "✓ Đảng ủy Khối" in texts and "✓ Báo Bình Thuận" in texts
    english = [x.text for x in labels(progress_sheet(replace(chart, lang="en")))]
    assert "All 9 units have reached every target." in english


def test_a_gap_never_shows_as_a_hundred() -> None:
    assert shown_percent(D("99.6")) == 99 and shown_percent(D("0.4")) == 0
    assert [band(None), band(D(100)), band(D("99.9")), band(D(50)), band(D("49.9"))] == [
        NONE, DONE, HALF, HALF, LOW]
    # The four bands stay apart in lightness too (for readers who cannot tell the hues).
    from bot.charts.palette import contrast

    for a, b in ((DONE, LOW), (HALF, LOW), (NONE, LOW)):
        assert contrast(a, b) > 1.3, (a, b)
