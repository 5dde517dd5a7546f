"""Real PNGs for 1, 9, 15 and 30 units: valid, phone-sized, deterministic, no missing
glyphs (warnings are errors in this suite, so a "Glyph missing" warning fails the test)."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal

import pytest
from PIL import Image

from bot.charts import RankingChart, RankingEntry, render_progress, render_ranking
from bot.charts.palette import PALETTE, PENALTY, colour_of, group_order, penalty_groups
from tests.charts import samples

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def size_of(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
        return image.size


@pytest.mark.parametrize(
    ("chart", "heights"),
    [
        (samples.one_unit(), (450, 800)),
        (samples.nine_units(), (1100, 1600)),
        (samples.fifteen_units(), (1400, 2100)),
        (samples.thirty_units(), (2500, 3500)),
    ],
    ids=["1 unit", "9 units", "15 units", "30 units"],
)
def test_ranking_is_a_phone_sized_png(chart: RankingChart, heights: tuple[int, int]) -> None:
    width, height = size_of(render_ranking(chart))
    assert width == 1200
    assert heights[0] <= height <= heights[1]


def test_same_data_gives_the_same_bytes() -> None:
    chart = samples.nine_units()
    # The same points in another dict order are the same data.
    shuffled = tuple(
        replace(e, points_by_group=dict(reversed(list(e.points_by_group.items()))))
        for e in chart.entries
    )
    first = render_ranking(chart)
    assert render_ranking(chart) == first
    assert render_ranking(replace(chart, entries=shuffled)) == first
    assert render_progress(samples.progress()) == render_progress(samples.progress())


def test_another_process_draws_the_same_bytes() -> None:
    # A restarted bot must redraw the very picture whose Telegram file id is cached.
    code = (
        "import hashlib, sys; from bot.charts import render_ranking; "
        "from tests.charts.samples import nine_units; "
        "sys.stdout.write(hashlib.sha256(render_ranking(nine_units())).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                         text=True, check=True, timeout=60)
    import hashlib

    assert out.stdout == hashlib.sha256(render_ranking(samples.nine_units())).hexdigest()


def test_provisional_charts_differ_from_final_ones() -> None:
    assert render_ranking(samples.nine_units(provisional=True)) != render_ranking(
        samples.nine_units(provisional=False)
    )


def test_thirty_units_with_many_groups_and_awkward_text_render() -> None:
    groups = tuple(f"Nhóm {n}: tiêu chí về công tác chuyên môn, nghiệp vụ" for n in range(20))
    entries = tuple(
        RankingEntry(
            unit_code=f"DONVI{i:02d}XYZ",  # longer than any real code: cut with "…"
            unit_name="Ủy ban 🎉 $x^2$ <b>&amp;</b> " + "rất dài " * 20,  # emoji, mathtext, HTML
            rank=i + 1,
            total=Decimal(100 - i),
            points_by_group={g: Decimal(5) for g in groups} | {groups[-1]: Decimal(-3)},
            provisional=i == 3,
        )
        for i in range(30)
    )
    chart = RankingChart("Khối " * 40, "Cả năm 2023", samples.AS_OF, Decimal(100), groups,
                         entries)
    width, height = size_of(render_ranking(chart))
    assert width == 1200 and height < 5000


def test_empty_charts_still_render() -> None:
    empty = replace(samples.nine_units(), entries=())
    assert size_of(render_ranking(empty))[0] == 1200
    assert size_of(render_progress(replace(samples.progress(), entries=())))[0] == 1200
    assert size_of(render_progress(replace(samples.progress(), criteria=())))[0] == 1200


def test_english_chart_renders() -> None:
    assert size_of(render_ranking(replace(samples.nine_units(), lang="en")))[0] == 1200


@pytest.mark.parametrize(("units", "criteria"), [(9, 3), (15, 5), (30, 12), (1, 1)])
def test_progress_table_renders(units: int, criteria: int) -> None:
    width, height = size_of(render_progress(samples.progress(units, criteria)))
    assert width == 1200
    assert 300 <= height <= 3500


def test_a_group_keeps_its_colour_whatever_the_data() -> None:
    groups = samples.GROUPS
    with_all = [{g: Decimal(1) for g in groups[:4]} | {groups[4]: Decimal(-1)}]
    without_second = [{groups[0]: Decimal(1), groups[2]: Decimal(1)}]
    for data in (with_all, without_second):
        order = group_order(groups, data)
        assert colour_of(groups[2], order, penalty_groups(data)) == PALETTE[2]
    assert colour_of(groups[4], group_order(groups, with_all), penalty_groups(with_all)) == PENALTY
    assert PENALTY not in PALETTE


def test_the_palette_is_okabe_and_itos() -> None:
    # Okabe & Ito (2008), "Color Universal Design": the colours stay apart for protan,
    # deutan and tritan readers. Vermillion is the penalty; black is left out of bars.
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(PALETTE[:6]) | {PENALTY} == okabe_ito
    assert len(set(PALETTE)) == len(PALETTE)  # tints for tables with many groups, no repeats
    from bot.charts.draw import ALERT, OFFICIAL
    from bot.charts.palette import contrast, text_colour_on

    assert OFFICIAL == "#0072B2"  # blue: told from the red badge by every reader
    for colour in (*PALETTE, PENALTY, ALERT, OFFICIAL):
        assert contrast(text_colour_on(colour), colour) >= 3.0, colour  # figures on fills
    assert contrast("#ffffff", ALERT) >= 4.5 and contrast("#ffffff", OFFICIAL) >= 4.5


def test_colours_in_the_picture_follow_the_palette() -> None:
    png = render_ranking(samples.one_unit())
    with Image.open(io.BytesIO(png)) as image:
        pixels = image.convert("RGB").getcolors(1 << 20) or []
        colours = {"#{:02x}{:02x}{:02x}".format(*px) for _, px in pixels
                   if isinstance(px, tuple)}
    assert {PALETTE[0].lower(), PALETTE[1].lower(), PALETTE[2].lower()} <= colours


def _badge_colours(png: bytes, top: bool = False) -> set[str]:
    with Image.open(io.BytesIO(png)) as image:
        picture = image.convert("RGB")
        if top:  # the title block only, where the badge is
            picture = picture.crop((0, 0, picture.width, 120))
        pixels = picture.getcolors(1 << 20) or []
    return {"#{:02x}{:02x}{:02x}".format(*px) for _, px in pixels if isinstance(px, tuple)}


def test_final_charts_carry_the_official_badge_and_provisional_ones_the_red() -> None:
    from bot.charts.draw import ALERT, OFFICIAL

    final = samples.nine_units(provisional=False)
    assert final.final and OFFICIAL.lower() in _badge_colours(render_ranking(final))
    provisional = samples.nine_units(provisional=True)
    colours = _badge_colours(render_ranking(provisional))
    # The group colours share the official blue (Okabe-Ito's), so look at the badge only.
    badge = _badge_colours(render_ranking(provisional), top=True)
    assert ALERT in colours and ALERT in badge and OFFICIAL.lower() not in badge


def test_a_unit_without_a_report_is_a_label_not_a_bar() -> None:
    chart = samples.nine_units(provisional=False)
    last = chart.entries[-1]
    silent = replace(last, total=Decimal(0), points_by_group={}, unreported=True)
    with_silent = replace(chart, entries=(*chart.entries[:-1], silent))
    png = render_ranking(with_silent)
    assert size_of(png)[0] == 1200 and png != render_ranking(chart)
    everyone_silent = replace(chart, entries=tuple(
        replace(e, points_by_group={}, total=Decimal(0), unreported=True)
        for e in chart.entries))
    assert not everyone_silent.final and not everyone_silent.provisional
    assert size_of(render_ranking(everyone_silent))[0] == 1200


def test_penalty_labels_have_room_left_of_zero() -> None:
    from bot.charts import draw
    from bot.charts.ranking import penalty_label, taken
    from bot.charts.ranking_bars import label_fonts, x_range

    chart = samples.nine_units()
    sheet = draw.Sheet()
    ax_width = 200.0
    low, high = x_range(sheet, chart, ax_width)
    per_pt = (high - low) / ax_width
    for e in chart.entries:
        points = taken(e)
        if points < 0:
            label = penalty_label(chart, points)
            assert label.startswith("\u2212")
            room = (float(points) - low) / per_pt  # points between the axis start and the bar
            assert room >= sheet.width(label, label_fonts()["penalty"]) + 3
