"""The ranking chart, drawn for a phone: one row per unit (rank 1 on top) with its rank and
short name on the left, a bar stacked by criterion group, the total at the bar's end and
each group's points inside its segment only where they fit; penalties as a vermillion
hatched segment left of zero labelled with the points taken off; the maximum marked by a
dashed line, the axis titled, the groups' legend below. A unit that has not reported gets
a grey "chưa nộp báo cáo" instead of a bar; the badge says "TẠM TÍNH" or, once every
score is appraised, "CHÍNH THỨC".

matplotlib is imported inside the render functions only (the bot must start fast).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.charts.model import RankingChart, RankingEntry
from bot.charts.palette import colour_of, group_order, penalty_groups
from bot.formatting import format_date, format_points
from bot.texts import catalog

if TYPE_CHECKING:
    from bot.charts.draw import Grid, Sheet, Swatch

MINUS = "\u2212"  # a real minus sign: "−2", not a hyphen
NAME_SHARE = 0.4  # at most this share of the width for rank and name; longer names cut
AXIS_GAP = 36.0  # points under the bars for the tick labels and the axis title


def pitch_for(units: int) -> float:
    """Points per row: tighter as units grow, never under a label and some air."""
    if units <= 12:
        return 26.0
    return 23.0 if units <= 20 else 21.0


def render_ranking(chart: RankingChart) -> bytes:
    """The ranking as PNG bytes (1200 px wide; same data -> same bytes)."""
    return ranking_sheet(chart).png()


def ranking_sheet(chart: RankingChart) -> Sheet:
    """The ranking drawn on a sheet (the tests measure its labels)."""
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
        sheet.finish_layout(head.height + 40)
        draw.draw_title(sheet, head)
        sheet.line(draw.WIDTH / 2, head.height + 12, c.plain(lang, "chart-no-entries"),
                   draw.font(12), ha="center", color=draw.MUTED)
        return sheet
    from bot.charts.ranking_bars import draw_rows

    layout = plan_ranking(sheet, chart, head.height)
    sheet.finish_layout(layout.height)
    draw.draw_title(sheet, head)
    draw_rows(sheet, chart, layout)
    draw.draw_swatches(sheet, layout.legend_top, layout.swatches, draw.font(11), layout.legend)
    if layout.note:
        sheet.paragraph(layout.note_top, layout.note, draw.font(11, italic=True),
                        color=draw.ALERT)
    return sheet


def taken(e: RankingEntry) -> Decimal:
    """The penalty points of an entry (negative, or 0)."""
    return sum((p for p in e.points_by_group.values() if p < 0), Decimal(0))


def gross(e: RankingEntry) -> Decimal:
    """The bonus side of an entry: where its bar ends."""
    return sum((p for p in e.points_by_group.values() if p > 0), Decimal(0))


def total_label(chart: RankingChart, e: RankingEntry) -> str:
    c = catalog()
    if e.unreported:
        return c.plain(chart.lang, "chart-unreported")
    mark = c.plain(chart.lang, "chart-provisional-mark") if chart.marked and e.provisional else ""
    return format_points(e.total, chart.lang) + mark


def penalty_label(chart: RankingChart, points: Decimal) -> str:
    return MINUS + format_points(-points, chart.lang)


@dataclass(frozen=True)
class RankingLayout:
    """Where everything goes, in points from the top-left, measured before drawing."""

    names: tuple[str, ...]  # short names, cut to the name column
    rank_right: float  # ranks end here (right-aligned)
    name_left: float
    left: float  # the bars' axes
    axes_top: float
    pitch: float
    order: tuple[str, ...]  # groups in colour order
    penalties: frozenset[str]
    swatches: tuple[Swatch, ...]
    legend: Grid
    legend_top: float
    note: tuple[str, ...]
    note_top: float
    height: float

    @property
    def axes_width(self) -> float:
        from bot.charts.draw import MARGIN, WIDTH

        return WIDTH - MARGIN - self.left

    def colour(self, group: str) -> str:
        return colour_of(group, list(self.order), self.penalties)


def plan_ranking(sheet: Sheet, chart: RankingChart, head_height: float) -> RankingLayout:
    from bot.charts import draw

    label = draw.font(11)
    rank_w = max(sheet.width(f"{e.rank}.", label) for e in chart.entries)
    name_room = draw.ROOM * NAME_SHARE - rank_w - 4
    names = tuple(sheet.fit(e.label, name_room, label) for e in chart.entries)
    name_w = max(sheet.width(n, label) for n in names)
    points = [e.points_by_group for e in chart.entries]
    order = tuple(group_order(chart.groups, points))
    penalties = penalty_groups(points)
    shown = [g for g in order if any(p.get(g, 0) != 0 for p in points)]
    swatches = tuple(draw.Swatch(colour_of(g, list(order), penalties), g,
                                 "///" if g in penalties else None) for g in shown)
    legend = draw.plan_grid(sheet, [s.label for s in swatches], label, 11 * 1.3 + 5, 2)
    note: tuple[str, ...] = ()
    if chart.provisional:
        key = "chart-provisional-all" if chart.all_provisional else "chart-provisional-some"
        note = tuple(sheet.wrap(catalog().plain(chart.lang, key), draw.ROOM,
                                draw.font(11, italic=True), 3))
    pitch = pitch_for(len(chart.entries))
    axes_top = head_height + 18  # room for the "maximum" label above the bars
    legend_top = axes_top + len(chart.entries) * pitch + AXIS_GAP + 6
    note_top = legend_top + legend.height + (4 if legend.rows else 0)
    bottom = note_top + len(note) * draw.line_pitch(draw.font(11))
    return RankingLayout(
        names=names, rank_right=draw.MARGIN + rank_w, name_left=draw.MARGIN + rank_w + 4,
        left=draw.MARGIN + rank_w + 4 + name_w + 8, axes_top=axes_top, pitch=pitch,
        order=order, penalties=penalties, swatches=swatches, legend=legend,
        legend_top=legend_top, note=note, note_top=note_top, height=bottom + draw.MARGIN,
    )
