"""The charts read on a phone: shown 400 px wide, every label is at least 11 pt tall
(measured on the rendered text, tick labels and axis title included), inside the
picture, clear of every other label, and a figure sits on a bar segment only when it fits
inside it. Checked at 1, 9, 15 and 30 units, for the ranking and the progress chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from matplotlib.collections import PolyCollection

from bot.charts import ProgressChart, RankingChart, progress_sheet, ranking_sheet
from bot.charts.draw import DISPLAY_PX, MIN_TEXT_PT, Sheet, font
from tests.charts import samples
from tests.charts.extents import image_size, inside, labels, overlap

RANKINGS: dict[str, Callable[[], RankingChart]] = {
    "1 unit": samples.one_unit,
    "9 units": samples.nine_units,
    "15 units": samples.fifteen_units,
    "30 units": samples.thirty_units,
    "9 units, English": lambda: replace(samples.nine_units(), lang="en"),
    "9 units, final": lambda: samples.nine_units(provisional=False),
    "nobody reported": lambda: replace(samples.nine_units(), entries=tuple(
        replace(e, points_by_group={}, unreported=True) for e in samples.nine_units().entries)),
    "empty": lambda: replace(samples.nine_units(), entries=()),
}
PROGRESS: dict[str, Callable[[], ProgressChart]] = {
    "1 unit": lambda: samples.progress(1, 1),
    "9 units": lambda: samples.progress(9, 3),
    "15 units": lambda: samples.progress(15, 5),
    "30 units, 12 targets": lambda: samples.progress(30, 12),
    "30 units, 20 targets": lambda: samples.progress(30, 20),
    "all met": lambda: samples.all_met(15, 4),
    "English": lambda: replace(samples.progress(9, 3), lang="en"),
    "no targets": lambda: replace(samples.progress(9, 3), criteria=()),
}


def sheets() -> list[tuple[str, Callable[[], Sheet]]]:
    def draw_ranking(make: Callable[[], RankingChart]) -> Callable[[], Sheet]:
        return lambda: ranking_sheet(make())

    def draw_progress(make: Callable[[], ProgressChart]) -> Callable[[], Sheet]:
        return lambda: progress_sheet(make())

    return ([(f"ranking, {k}", draw_ranking(v)) for k, v in RANKINGS.items()]
            + [(f"progress, {k}", draw_progress(v)) for k, v in PROGRESS.items()])


CASES = sheets()


@pytest.mark.parametrize("draw", [d for _, d in CASES], ids=[n for n, _ in CASES])
def test_every_label_reads_on_a_phone(draw: Callable[[], Sheet]) -> None:
    sheet = draw()
    found = labels(sheet)
    width, height = image_size(sheet)
    assert width == 1200 and found
    # Telegram's photo limits: width + height at most 10,000 and a ratio of at most 20.
    assert width + height <= 10_000 and height / width <= 20
    for label in found:
        assert label.size_pt >= MIN_TEXT_PT, label
        # The rendered height, shown 400 px wide, in the phone's pixels (= its points).
        assert label.shown_height(width) >= MIN_TEXT_PT - 1e-6, label
        assert label.box.x0 >= 0 and label.box.y0 >= 0, label
        assert label.box.x1 <= width and label.box.y1 <= height, label
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            assert not overlap(a.box, b.box), (a.text, b.text)


def test_the_measure_is_the_one_the_phone_sees() -> None:
    # An 11-pt label on a sheet 400 points wide is 11 px tall at 400 px, 33 in the PNG.
    sheet = ranking_sheet(samples.one_unit())
    tick = next(x for x in labels(sheet) if x.text == "0")
    assert tick.size_pt == 11 and tick.box.height == pytest.approx(33, abs=0.5)
    assert tick.shown_height(image_size(sheet)[0]) == pytest.approx(11, abs=0.2)
    assert DISPLAY_PX == 400
    with pytest.raises(ValueError, match="below"):
        font(10.5)


@pytest.mark.parametrize("make", [samples.one_unit, samples.nine_units, samples.fifteen_units,
                                  samples.thirty_units], ids=["1", "9", "15", "30"])
def test_figures_on_bars_fit_inside_their_segment(make: Callable[[], RankingChart]) -> None:
    sheet = ranking_sheet(make())
    found = labels(sheet)
    [ax] = sheet.fig.axes
    bars = [p.get_extents(ax.transData) for c in ax.collections if isinstance(c, PolyCollection)
            for p in c.get_paths()]
    on_bars = 0
    for label in found:
        for bar in bars:
            if overlap(label.box, bar, slack=0.5):
                assert inside(label.box, bar), label  # on a segment means within it
                on_bars += 1
    assert on_bars >= len(make().entries) if len(make().entries) < 30 else on_bars > 0


def test_units_go_by_their_short_names_not_codes() -> None:
    chart = samples.nine_units()
    texts = [x.text for x in labels(ranking_sheet(chart))]
    assert "Đảng ủy Khối" in texts  # its block file short_name
    assert "Ủy ban Kiểm tra Tỉnh ủy" in texts  # a name short enough stands as it is
    assert not {e.unit_code for e in chart.entries} & set(texts)
    long = replace(chart.entries[0], short_name="",
                   unit_name="Ban Quản lý các khu công nghiệp và khu kinh tế ven biển tỉnh")
    cut = [x.text for x in labels(ranking_sheet(replace(chart, entries=(long,))))]
    assert any(t.startswith("Ban Quản lý") and t.endswith("…") for t in cut)


def test_the_axis_is_titled_and_every_total_is_at_its_bar() -> None:
    chart = samples.nine_units()
    sheet = ranking_sheet(chart)
    [ax] = sheet.fig.axes
    assert ax.xaxis.label.get_text() == "Điểm"
    texts = [x.text for x in labels(sheet)]
    for e in chart.entries:
        total = f"{e.total}".replace(".", ",").removesuffix(",0")
        assert any(t.startswith(total) for t in texts), total
    english = ranking_sheet(replace(chart, lang="en"))
    assert english.fig.axes[0].xaxis.label.get_text() == "Points"
