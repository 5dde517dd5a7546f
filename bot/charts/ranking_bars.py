"""The rows of the ranking chart: rank and name, the stacked bar, the figures on it, and
the points axis under them. Figures are placed in points on the sheet, from the same scale
as the bars, so a figure goes inside a segment only when its measured width fits there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bot.charts import draw
from bot.charts.model import RankingChart
from bot.charts.palette import PENALTY, text_colour_on
from bot.charts.ranking import RankingLayout, gross, penalty_label, taken, total_label
from bot.formatting import format_points
from bot.texts import catalog

if TYPE_CHECKING:
    from bot.charts.draw import Sheet

BAR_HEIGHT = 0.68  # of a row; the rest is air between bars
STRIPE = "#f1f2f4"  # every other row, so the eye follows a name to its bar
SEGMENT_AIR = 6.0  # points left free around a figure inside a segment
TICK_SPACING = 45.0  # points between the points axis's ticks, at least


def label_fonts() -> dict[str, Any]:
    return {
        "label": draw.font(11),
        "total": draw.font(11.5, "bold"),
        "silent": draw.font(11, italic=True),
        "penalty": draw.font(11, "bold"),
        "segment": draw.font(11),
    }


def x_range(sheet: Sheet, chart: RankingChart, ax_width: float) -> tuple[float, float]:
    """Left end (penalties and their labels) and right end (points) of the axis so that
    every total and penalty label fits inside the axes."""
    fonts = label_fonts()
    negatives = [taken(e) for e in chart.entries]
    # Each label's share of the axes width (capped: a label never takes most of it).
    right_shares = [
        (float(gross(e)),
         min((sheet.width(total_label(chart, e), fonts["silent" if e.unreported else "total"])
              + 8) / ax_width, 0.6))
        for e in chart.entries]
    left_shares = [
        (float(n), min((sheet.width(penalty_label(chart, n), fonts["penalty"]) + 7)
                       / ax_width, 0.3))
        for n in negatives if n < 0]
    low = min(float(min(negatives)) * 1.1, 0.0)
    right = float(chart.max_points) * 1.02
    # Each end depends on the other through the scale; a few rounds settle both.
    for _ in range(4):
        for end, share in right_shares:
            # end + share * (right - low) <= right, solved for right.
            right = max(right, (end - share * low) / (1 - share))
        for neg, share in left_shares:
            # neg - share * (right - low) >= low, solved for low.
            low = min(low, (neg - share * right) / (1 - share))
    return low, max(right, low + 1.0)


def _box(x0: float, x1: float, row: int) -> list[tuple[float, float]]:
    half = BAR_HEIGHT / 2
    return [(x0, row - half), (x1, row - half), (x1, row + half), (x0, row + half)]


def draw_rows(sheet: Sheet, chart: RankingChart, layout: RankingLayout) -> None:
    from matplotlib.collections import PolyCollection
    from matplotlib.patheffects import withStroke

    fonts, lang = label_fonts(), chart.lang
    ax_width, rows = layout.axes_width, len(chart.entries)
    low, high = x_range(sheet, chart, ax_width)
    per_pt = (high - low) / ax_width

    def x_of(value: float) -> float:
        return layout.left + (value - low) / per_pt

    ax = sheet.axes(layout.left, layout.axes_top, ax_width, rows * layout.pitch)
    ax.set_xlim(low, high)
    ax.set_ylim(rows - 0.5, -0.5)  # rank 1 at the top
    ax.set_facecolor("none")  # the stripes behind show through
    sheet.boxes([(draw.MARGIN, layout.axes_top + row * layout.pitch, draw.ROOM, layout.pitch)
                 for row in range(1, rows, 2)], [STRIPE] * (rows // 2))
    halo = [withStroke(linewidth=3, foreground="white")]
    plain: list[tuple[list[tuple[float, float]], str]] = []  # (corners, colour)
    hatched: list[list[tuple[float, float]]] = []
    for row, (name, e) in enumerate(zip(layout.names, chart.entries, strict=True)):
        y = layout.axes_top + (row + 0.5) * layout.pitch
        sheet.line(layout.rank_right, y, f"{e.rank}.", fonts["label"], ha="right",
                   color=draw.MUTED)
        sheet.line(layout.name_left, y, name, fonts["label"])
        ends = {True: 0.0, False: 0.0}  # running ends of the positive / negative stacks
        for group in layout.order:
            value = float(e.points_by_group.get(group, 0))
            if value == 0:
                continue
            start = ends[value > 0]
            ends[value > 0] = start + value
            if group in layout.penalties:
                hatched.append(_box(start, start + value, row))
                continue  # hatching leaves no room for a readable figure
            colour = layout.colour(group)
            plain.append((_box(start, start + value, row), colour))
            text = format_points(e.points_by_group[group], lang)
            if value / per_pt - SEGMENT_AIR >= sheet.width(text, fonts["segment"]):
                sheet.line(x_of(start + value / 2), y, text, fonts["segment"], ha="center",
                           color=text_colour_on(colour), zorder=3)
        if e.unreported:
            sheet.line(x_of(0) + 4, y, total_label(chart, e), fonts["silent"],
                       color=draw.MUTED, zorder=3)
        else:
            sheet.line(x_of(ends[True]) + 4, y, total_label(chart, e), fonts["total"],
                       zorder=3, path_effects=halo)
        if ends[False] < 0:  # the points taken off, left of the hatched segment
            sheet.line(x_of(ends[False]) - 3, y, penalty_label(chart, taken(e)),
                       fonts["penalty"], ha="right", color=draw.ALERT, zorder=3,
                       path_effects=halo)
    # Two collections instead of one bar call per segment: 30 units x 12 groups stay fast.
    ax.add_collection(PolyCollection(
        [v for v, _ in plain], facecolors=[c for _, c in plain], edgecolors="white",
        linewidths=0.6, zorder=2,
    ), autolim=False)
    if hatched:
        ax.add_collection(PolyCollection(
            hatched, facecolors=PENALTY, edgecolors="white", linewidths=0.6, hatch="///",
            zorder=2,
        ), autolim=False)
    _axis(sheet, chart, layout, ax, low, high, x_of)


def _axis(sheet: Sheet, chart: RankingChart, layout: RankingLayout, ax: Any, low: float,
          high: float, x_of: Any) -> None:
    """The points axis: ticks from 0 to the maximum, its title, the dashed maximum."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    lang, c = chart.lang, catalog()
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#999999")
    maximum = float(chart.max_points)
    bins = max(2, int(layout.axes_width // TICK_SPACING))
    locator = MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10])

    def tick(value: float) -> str:
        return format_points(Decimal(f"{float(value):.2f}"), lang)

    # A tick label may reach into the margin, never past the picture's edge.
    tick_prop = draw.font(11)
    ticks = [t for t in locator.tick_values(0, maximum) if 0 <= t <= high
             and x_of(t) + sheet.width(tick(t), tick_prop) / 2 <= draw.WIDTH - 2]
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick(v)))
    ax.tick_params(axis="x", labelsize=11, colors="#444444", length=0, pad=3)
    ax.set_xlabel(c.plain(lang, "chart-points-axis"), fontproperties=draw.font(11),
                  color=draw.MUTED, labelpad=3)
    ax.set_axisbelow(True)
    ax.xaxis.grid(True, color="#dddddd", linewidth=0.6)
    if low < 0:
        ax.axvline(0, color="#555555", linewidth=0.9, zorder=2.5)
    # Behind bars and figures: a total near the maximum stays readable.
    ax.axvline(maximum, color="#333333", linestyle=(0, (4, 3)), linewidth=1.0, zorder=1.5)
    label = c.plain(lang, "chart-max-points", points=format_points(chart.max_points, lang))
    prop = draw.font(11, "bold")
    x, align = x_of(maximum), "right"
    if x - sheet.width(label, prop) < draw.MARGIN:
        x, align = draw.MARGIN, "left"
    sheet.line(x, layout.axes_top - 9, label, prop, ha=align, color="#333333")
