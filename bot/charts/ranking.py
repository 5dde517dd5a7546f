"""The ranking chart: one horizontal bar per unit (rank 1 on top), stacked by criterion
group, penalties as a red hatched segment left of zero labelled with the points taken off,
the total at the end of each bar, the maximum marked by a dashed line, the groups' legend
and the units' full names below. A unit that has not reported gets a grey "chưa nộp báo
cáo" instead of a bar; the badge says "TẠM TÍNH" or, once every score is appraised,
"CHÍNH THỨC".

matplotlib is imported inside `render_ranking` only (the bot must start fast).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bot.charts.model import RankingChart, RankingEntry
from bot.charts.palette import PENALTY, colour_of, group_order, penalty_groups, text_colour_on
from bot.formatting import format_date, format_points
from bot.texts import catalog

if TYPE_CHECKING:
    from bot.charts.draw import Sheet, TitlePlan

BAR_HEIGHT = 0.68  # of a row; the rest is air between bars
MINUS = "\u2212"  # a real minus sign: "−2", not a hyphen


@dataclass(frozen=True)
class Scale:
    label: float  # unit codes and ranks
    pitch: float  # inches per bar
    segment: float  # points inside segments; 0 = none (too small to read)
    total: float


def scale_for(units: int) -> Scale:
    """Smaller type and tighter bars as units grow; 30 units still read on a phone."""
    if units <= 12:
        return Scale(15, 0.56, 11, 14)
    if units <= 20:
        return Scale(14, 0.46, 10, 13)
    if units <= 32:
        return Scale(13, 0.38, 0, 12)
    return Scale(11, 0.3, 0, 10)


def render_ranking(chart: RankingChart) -> bytes:
    """The ranking as PNG bytes (1200 px wide; same data -> same bytes)."""
    from bot.charts import draw

    c, lang = catalog(), chart.lang
    sheet = draw.Sheet()
    title = c.plain(lang, "chart-ranking-title", block=chart.block_name)
    subtitle = c.plain(
        lang, "chart-subtitle", period=chart.period_label, date=format_date(chart.as_of.date())
    )
    # No badge when nobody has reported: nothing to call provisional or final.
    badge_key, colour = None, draw.ALERT
    if chart.provisional:
        badge_key = "chart-provisional-badge"
    elif chart.final:
        badge_key, colour = "chart-final-badge", draw.OFFICIAL
    badge = c.plain(lang, badge_key) if badge_key else None
    head = draw.plan_title(sheet, title, subtitle, badge, colour)
    if not chart.entries:
        sheet.finish_layout(head.height + 1.2)
        draw.draw_title(sheet, head)
        sheet.text(draw.WIDTH_IN / 2, head.height + 0.4, c.plain(lang, "chart-no-entries"),
                   draw.font(16), ha="center", color=draw.MUTED)
        return sheet.png()
    _Ranking(sheet, chart).draw(head)
    return sheet.png()


def _taken(e: RankingEntry) -> Decimal:
    """The penalty points of an entry (negative, or 0)."""
    return sum((p for p in e.points_by_group.values() if p < 0), Decimal(0))


def _box(x0: float, x1: float, row: int) -> list[tuple[float, float]]:
    half = BAR_HEIGHT / 2
    return [(x0, row - half), (x1, row - half), (x1, row + half), (x0, row + half)]


class _Ranking:
    """One drawing: measure everything first, then size the figure, then place."""

    def __init__(self, sheet: Sheet, chart: RankingChart) -> None:
        from bot.charts import draw

        self.d, self.sheet, self.chart = draw, sheet, chart
        self.scale = scale_for(len(chart.entries))
        points = [e.points_by_group for e in chart.entries]
        self.order = group_order(chart.groups, points)
        self.penalties = penalty_groups(points)
        self.shown = [g for g in self.order if any(p.get(g, 0) != 0 for p in points)]
        self.marked = chart.marked
        self.note = None
        if chart.provisional:
            key = "chart-provisional-all" if chart.all_provisional else "chart-provisional-some"
            self.note = catalog().plain(chart.lang, key)

    def colour(self, group: str) -> str:
        return colour_of(group, self.order, self.penalties)

    def draw(self, head: TitlePlan) -> None:
        d, sheet, chart, scale = self.d, self.sheet, self.chart, self.scale
        lang = chart.lang
        label_prop = d.font(scale.label)
        code_prop = d.font(scale.label, "bold")
        codes = [sheet.fit(e.unit_code, 1.8, code_prop) for e in chart.entries]
        rank_w = max(sheet.width(f"{e.rank}.", label_prop) for e in chart.entries)
        code_w = max(sheet.width(code, code_prop) for code in codes)
        left = d.MARGIN + rank_w + 0.15 + code_w + 0.25

        legend_prop = d.font(13 if len(self.shown) <= 8 else 11.5)
        swatches = [
            d.Swatch(self.colour(g), g, "///" if g in self.penalties else None)
            for g in self.shown
        ]
        legend = d.plan_grid(sheet, [s.label for s in swatches], legend_prop, 0.45, 4)
        names = d.plan_names(sheet, catalog().plain(lang, "chart-units-heading"),
                             [(e.unit_code, e.unit_name) for e in chart.entries])

        # Vertical plan, in inches from the top.
        axes_top = head.height + 0.45  # room for the "maximum" label above the bars
        axes_h = len(chart.entries) * scale.pitch
        legend_top = axes_top + axes_h + 0.55
        y = legend_top + legend.height
        note_top = y + 0.1
        if self.note:
            y = note_top + 0.4
        names_top = y + 0.25
        if names.height:
            y = names_top + names.height
        sheet.finish_layout(y + 0.3)

        d.draw_title(sheet, head)
        ax = sheet.axes(left, axes_top, d.WIDTH_IN - left - d.MARGIN, axes_h)
        self._bars(ax, label_prop, code_prop, codes, left, d.WIDTH_IN - left - d.MARGIN)
        d.draw_swatches(sheet, legend_top, swatches, legend_prop, legend)
        if self.note:
            sheet.text(d.MARGIN, note_top, self.note, d.font(12, italic=True),
                       color=d.ALERT)
        d.draw_names(sheet, names_top, names)

    def _total_label(self, e: RankingEntry) -> str:
        if e.unreported:
            return catalog().plain(self.chart.lang, "chart-unreported")
        mark = catalog().plain(self.chart.lang, "chart-provisional-mark")
        return format_points(e.total, self.chart.lang) + (mark if self.marked and e.provisional
                                                          else "")

    def _penalty_label(self, taken: Decimal) -> str:
        return MINUS + format_points(-taken, self.chart.lang)

    def _x_range(self, ax_width: float, total_prop: Any, penalty_prop: Any
                 ) -> tuple[float, float]:
        """Left end (penalties and their labels) and right end so that every total label
        fits inside."""
        entries = self.chart.entries
        negatives = [_taken(e) for e in entries]
        # Each label's share of the axes width (capped: a label never takes half of it).
        right_shares = [
            (float(sum((p for p in e.points_by_group.values() if p > 0), Decimal(0))),
             min((self.sheet.width(self._total_label(e), total_prop) + 0.2) / ax_width, 0.5))
            for e in entries]
        left_shares = [
            (float(n), min((self.sheet.width(self._penalty_label(n), penalty_prop) + 0.2)
                           / ax_width, 0.3))
            for n in negatives if n < 0]
        low = min(float(min(negatives)) * 1.15, 0.0)
        right = float(self.chart.max_points) * 1.03
        # Each end depends on the other through the scale; a few rounds settle both.
        for _ in range(4):
            for gross, share in right_shares:
                # gross + share * (right - low) <= right, solved for right.
                right = max(right, (gross - share * low) / (1 - share))
            for neg, share in left_shares:
                # neg - share * (right - low) >= low, solved for low.
                low = min(low, (neg - share * right) / (1 - share))
        return low, max(right, low + 1.0)

    def _bars(self, ax: Any, label_prop: Any, code_prop: Any, codes: list[str],
              left: float, ax_width: float) -> None:
        from matplotlib.collections import PolyCollection
        from matplotlib.patheffects import withStroke
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        d, chart, scale, lang = self.d, self.chart, self.scale, self.chart.lang
        total_prop = d.font(scale.total, "bold")
        silent_prop = d.font(scale.total, italic=True)
        penalty_prop = d.font(scale.total - 1, "bold")
        # Figures inside segments only while they are few enough to read.
        readable = scale.segment and len(self.shown) <= 8
        segment_prop = d.font(scale.segment) if readable else None
        low, high = self._x_range(ax_width, total_prop, penalty_prop)
        per_inch = (high - low) / ax_width
        ax.set_xlim(low, high)
        ax.set_ylim(len(chart.entries) - 0.5, -0.5)  # rank 1 at the top
        halo = [withStroke(linewidth=5, foreground="white")]
        in_segment = self.sheet.mid(ax.transData, segment_prop or total_prop)
        at_total = self.sheet.mid(ax.transData, total_prop)
        at_code = self.sheet.mid(ax.get_yaxis_transform(), code_prop)
        plain: list[tuple[list[tuple[float, float]], str]] = []  # (corners, colour)
        hatched: list[list[tuple[float, float]]] = []
        for row, (code, e) in enumerate(zip(codes, chart.entries, strict=True)):
            if row % 2:
                ax.axhspan(row - 0.5, row + 0.5, color="#f3f4f6", zorder=0, linewidth=0)
            ends = {True: 0.0, False: 0.0}  # running ends of the positive / negative stacks
            for group in self.order:
                value = float(e.points_by_group.get(group, 0))
                if value == 0:
                    continue
                start = ends[value > 0]
                ends[value > 0] = start + value
                corners = _box(start, start + value, row)
                colour = self.colour(group)
                if group in self.penalties:
                    hatched.append(corners)
                    continue  # hatching leaves no room for a readable figure
                plain.append((corners, colour))
                text = format_points(value, lang)
                room = value / per_inch - 0.12  # inches inside the segment, less some air
                if segment_prop and room >= self.sheet.width(text, segment_prop):
                    ax.text(start + value / 2, row, text, fontproperties=segment_prop,
                            transform=in_segment, ha="center", va="baseline",
                            color=text_colour_on(colour), zorder=3, parse_math=False)
            ax.text(ends[True] + 0.1 * per_inch, row, self._total_label(e),
                    fontproperties=silent_prop if e.unreported else total_prop,
                    transform=at_total, ha="left", va="baseline",
                    color=d.MUTED if e.unreported else d.INK, zorder=3, parse_math=False,
                    path_effects=halo)
            if ends[False] < 0:  # the points taken off, left of the hatched segment
                ax.text(ends[False] - 0.1 * per_inch, row,
                        self._penalty_label(_taken(e)),
                        fontproperties=penalty_prop, transform=at_total, ha="right",
                        va="baseline", color=d.ALERT, zorder=3, parse_math=False,
                        path_effects=halo)
            # Rank and code left of the axes, aligned as two columns.
            ax.text(-(left - d.MARGIN - 0.05) / ax_width, row, code, fontproperties=code_prop,
                    transform=at_code, ha="left", va="baseline", parse_math=False, color=d.INK)
            ax.text(-(left - d.MARGIN) / ax_width, row, f"{e.rank}.", fontproperties=label_prop,
                    transform=at_code, ha="right", va="baseline", parse_math=False,
                    color=d.MUTED)
        # Two collections instead of one bar call per segment: 30 units x 12 groups stay fast.
        ax.add_collection(PolyCollection(
            [v for v, _ in plain], facecolors=[c for _, c in plain], edgecolors="white",
            linewidths=0.8, zorder=2,
        ), autolim=False)
        if hatched:
            ax.add_collection(PolyCollection(
                hatched, facecolors=PENALTY, edgecolors="white", linewidths=0.8, hatch="///",
                zorder=2,
            ), autolim=False)
        self._axes_style(ax, low, per_inch, MaxNLocator, FuncFormatter)

    def _axes_style(self, ax: Any, low: float, per_inch: float, locator: Any,
                    formatter: Any) -> None:
        d, chart, lang = self.d, self.chart, self.chart.lang
        ax.set_yticks([])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color("#999999")
        ax.xaxis.set_major_locator(locator(nbins=10, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(
            formatter(lambda v, _: format_points(Decimal(f"{float(v):.2f}"), lang))
        )
        ax.tick_params(axis="x", labelsize=12, colors="#444444", length=0, pad=6)
        ax.set_axisbelow(True)
        ax.xaxis.grid(True, color="#dddddd", linewidth=0.8)
        if low < 0:
            ax.axvline(0, color="#555555", linewidth=1.2, zorder=2.5)
        maximum = float(chart.max_points)
        # Behind bars and figures: a total near the maximum stays readable.
        ax.axvline(maximum, color="#333333", linestyle=(0, (6, 4)), linewidth=1.6, zorder=1.5)
        label = catalog().plain(lang, "chart-max-points", points=format_points(chart.max_points,
                                                                                lang))
        ax.text(maximum, 1.0, label + " ", transform=ax.get_xaxis_transform(), ha="right",
                va="bottom", fontproperties=d.font(12.5, "bold"), color="#333333",
                parse_math=False)
