"""The progress chart: a table of units x target criteria, each cell coloured by how much
of the target the unit has reached and labelled with the real percentage (over 100 too),
so a unit sees at a glance where it stands before the deadline.

A coloured table rather than bars: with 30 units and a dozen targets, 360 bars cannot be
told apart, while a table reads like the spreadsheets the secretariat already uses.
matplotlib is imported inside `render_progress` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.charts.model import ProgressChart
from bot.formatting import format_date, locale_of
from bot.texts import catalog

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

    from bot.charts.draw import Sheet, TitlePlan

# Bands of the cells: reached, halfway, far behind, nothing reported (ColorBrewer pastels,
# dark text stays readable on all of them).
DONE, HALF, LOW, NONE = "#a1d99b", "#fee391", "#fc9e7e", "#e6e6e6"
# Up to this many targets the column heads carry the titles; beyond, numbers and a key.
TITLED_COLUMNS_MAX = 6
CELL_WIDTH_MAX = 2.0  # inches; wider cells only spread the figures apart


def band(percent: Decimal | None) -> str:
    if percent is None:
        return NONE
    if percent >= 100:
        return DONE
    return HALF if percent >= 50 else LOW


def render_progress(chart: ProgressChart) -> bytes:
    """The progress table as PNG bytes (1200 px wide; same data -> same bytes)."""
    from bot.charts import draw

    c, lang = catalog(), chart.lang
    sheet = draw.Sheet()
    head = draw.plan_title(
        sheet,
        c.plain(lang, "chart-progress-title", block=chart.block_name),
        c.plain(lang, "chart-subtitle", period=chart.period_label,
                date=format_date(chart.as_of.date())),
        None,
    )
    if not chart.entries or not chart.criteria:
        sheet.finish_layout(head.height + 1.2)
        draw.draw_title(sheet, head)
        sheet.text(draw.WIDTH_IN / 2, head.height + 0.4, c.plain(lang, "chart-progress-no-data"),
                   draw.font(16), ha="center", color=draw.MUTED)
        return sheet.png()
    _Progress(sheet, chart).draw(head)
    return sheet.png()


@dataclass(frozen=True)
class _Columns:
    left: float  # where the first target column starts
    width: float  # of each target column
    heads: tuple[tuple[str, ...], ...]  # lines of each column head
    head_height: float


class _Progress:
    def __init__(self, sheet: Sheet, chart: ProgressChart) -> None:
        from bot.charts import draw
        from bot.charts.ranking import scale_for

        self.d, self.sheet, self.chart = draw, sheet, chart
        self.scale = scale_for(len(chart.entries))
        self.numbered = len(chart.criteria) > TITLED_COLUMNS_MAX
        self.head_prop = draw.font(11.5 if not self.numbered else 12, "bold")

    def draw(self, head: TitlePlan) -> None:
        d, sheet, chart, lang = self.d, self.sheet, self.chart, self.chart.lang
        c = catalog()
        code_prop = d.font(self.scale.label, "bold")
        codes = [sheet.fit(e.unit_code, 1.8, code_prop) for e in chart.entries]
        columns = self._columns(max(sheet.width(code, code_prop) for code in codes) + 0.3)
        cell_prop = self._cell_font(columns.width)

        bands = [(DONE, "chart-progress-band-done"), (HALF, "chart-progress-band-half"),
                 (LOW, "chart-progress-band-low"), (NONE, "chart-progress-band-none")]
        swatches = [d.Swatch(colour, c.plain(lang, key)) for colour, key in bands]
        legend_prop = d.font(12.5)
        legend = d.plan_grid(sheet, [s.label for s in swatches], legend_prop, 0.45, 4)
        key_prop, key_bold = d.font(12), d.font(12, "bold")
        key_pairs = [(f"{i}.", title) for i, (_, title) in enumerate(chart.criteria, start=1)]
        key_width = sheet.width(f"{len(key_pairs)}.", key_bold) + 0.2
        key = d.plan_grid(sheet, [t for _, t in key_pairs], key_prop, key_width, 2)
        names = d.plan_names(sheet, c.plain(lang, "chart-units-heading"),
                             [(e.unit_code, e.unit_name) for e in chart.entries])

        table_top = head.height + 0.35
        rows_top = table_top + columns.head_height
        legend_top = rows_top + len(chart.entries) * self.scale.pitch + 0.3
        y = legend_top + legend.height
        key_top = y + 0.25
        if self.numbered:
            y = key_top + 0.4 + key.height
        names_top = y + 0.25
        y = names_top + names.height if names.height else y
        sheet.finish_layout(y + 0.3)

        d.draw_title(sheet, head)
        self._table(table_top, rows_top, columns, codes, code_prop, cell_prop)
        d.draw_swatches(sheet, legend_top, swatches, legend_prop, legend)
        if self.numbered:
            sheet.text(d.MARGIN, key_top, c.plain(lang, "chart-progress-criteria-heading"),
                       d.font(12.5, "bold"), color=d.MUTED)
            d.draw_pairs(sheet, key_top + 0.4, key_pairs, key_bold, key_prop, key_width, key)
        d.draw_names(sheet, names_top, names)

    def _columns(self, unit_column: float) -> _Columns:
        d, sheet = self.d, self.sheet
        left = d.MARGIN + unit_column
        count = len(self.chart.criteria)
        width = min((d.WIDTH_IN - d.MARGIN - left) / count, CELL_WIDTH_MAX)
        if self.numbered:
            heads: tuple[tuple[str, ...], ...] = tuple((str(i),) for i in range(1, count + 1))
            return _Columns(left, width, heads, 0.45)
        heads = tuple(tuple(sheet.wrap(title, width - 0.15, self.head_prop, 3))
                      for _, title in self.chart.criteria)
        lines = max(len(h) for h in heads)
        return _Columns(left, width, heads, 0.2 + lines * 0.24)

    def _cell_font(self, width: float) -> FontProperties:
        """The row's type size, smaller if "188,5%" would not fit a narrow column."""
        size = self.scale.total
        while size > 7 and self.sheet.width("188,5%", self.d.font(size, "bold")) > width - 0.08:
            size -= 0.5
        return self.d.font(size)

    def _table(self, table_top: float, rows_top: float, columns: _Columns, codes: list[str],
               code_prop: FontProperties, cell_prop: FontProperties) -> None:
        from matplotlib.collections import PolyCollection

        d, sheet, chart, lang = self.d, self.sheet, self.chart, self.chart.lang
        c = catalog()
        pitch = self.scale.pitch
        bold = d.font(cell_prop.get_size_in_points(), "bold")
        sheet.line(d.MARGIN, rows_top - 0.2, c.plain(lang, "chart-progress-unit-column"),
                   d.font(11.5, "bold"), color=d.MUTED)
        for i, lines in enumerate(columns.heads):
            x = columns.left + (i + 0.5) * columns.width
            for j, line in enumerate(lines):
                y = rows_top - 0.12 - (len(lines) - 1 - j) * 0.24
                sheet.text(x, y, line, self.head_prop, ha="center", va="baseline",
                           color=d.MUTED)
        cells: list[list[tuple[float, float]]] = []
        colours: list[str] = []
        for row, (code, entry) in enumerate(zip(codes, chart.entries, strict=True)):
            top = rows_top + row * pitch
            sheet.line(d.MARGIN, top + pitch / 2, code, code_prop)
            for i, (criterion, _) in enumerate(chart.criteria):
                percent = entry.percent_by_criterion.get(criterion)
                x0 = columns.left + i * columns.width
                cells.append(self._cell(x0, top, columns.width, pitch))
                colours.append(band(percent))
                text = self._percent(percent)
                sheet.line(x0 + columns.width / 2, top + pitch / 2, text,
                           bold if percent is not None and percent >= 100 else cell_prop,
                           ha="center", color=d.INK)
        # One collection for every cell: 30 x 12 rectangles stay fast. Coordinates are
        # inches from the bottom-left, the figure's own inch transform.
        sheet.fig.add_artist(PolyCollection(
            cells, facecolors=colours, edgecolors="white", linewidths=2,
            transform=sheet.fig.dpi_scale_trans, zorder=0,
        ))

    def _cell(self, x0: float, top: float, width: float, height: float) -> list[
        tuple[float, float]
    ]:
        y0 = self.sheet.height - top - height
        return [(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)]

    def _percent(self, percent: Decimal | None) -> str:
        from babel.numbers import format_decimal

        lang = self.chart.lang
        if percent is None:
            return catalog().plain(lang, "chart-progress-missing")
        figure = format_decimal(percent, format="#,##0.#", locale=locale_of(lang))
        return catalog().plain(lang, "chart-progress-percent", percent=figure)
