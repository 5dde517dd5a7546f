"""The progress chart, drawn for a phone: what is still behind. One row per unit still
short of a target, the most behind first (bot.charts.behind says how that is measured),
one column per target some unit is behind on, each cell the percentage reached on a
colour band (with "✓" for a target met and "—" for nothing reported, so colour is never
the only sign); the units that met every target are named under the table. When every
unit met every target, the chart says so and lists them.

matplotlib is imported inside the render functions only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.charts.behind import behind
from bot.charts.model import ProgressChart
from bot.formatting import format_date
from bot.texts import catalog

if TYPE_CHECKING:
    from bot.charts.behind import Behind
    from bot.charts.draw import Sheet, TitlePlan


def render_progress(chart: ProgressChart) -> bytes:
    """The progress chart as PNG bytes (1200 px wide; same data -> same bytes)."""
    return progress_sheet(chart).png()


def progress_sheet(chart: ProgressChart) -> Sheet:
    """The progress chart drawn on a sheet (the tests measure its labels)."""
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
        sheet.finish_layout(head.height + 40)
        draw.draw_title(sheet, head)
        sheet.line(draw.WIDTH / 2, head.height + 12, c.plain(lang, "chart-progress-no-data"),
                   draw.font(12), ha="center", color=draw.MUTED)
        return sheet
    found = behind(chart)
    if not found.rows:
        _all_met(sheet, chart, head, found)
        return sheet
    from bot.charts.progress_table import draw_behind

    draw_behind(sheet, chart, head, found)
    return sheet


def _all_met(sheet: Sheet, chart: ProgressChart, head: TitlePlan, found: Behind) -> None:
    """Nothing is behind: one sentence and the units, "✓" before each, two columns."""
    from bot.charts import draw

    c, lang = catalog(), chart.lang
    message = draw.font(12, "bold")
    prop = draw.font(11)
    lines = sheet.wrap(c.plain(lang, "chart-progress-all-met", count=len(found.done)),
                       draw.ROOM, message, 2)
    labels = [c.plain(lang, "chart-progress-met-unit", unit=e.label) for e in found.done]
    grid = draw.plan_grid(sheet, labels, prop, 0, 2)
    top = head.height + 4
    grid_top = top + len(lines) * draw.line_pitch(message) + 6
    sheet.finish_layout(grid_top + grid.height + draw.MARGIN)
    draw.draw_title(sheet, head)
    sheet.paragraph(top, lines, message, color=draw.OFFICIAL)
    for i, label in enumerate(labels):
        col, row = divmod(i, grid.rows)
        sheet.line(draw.MARGIN + col * grid.cell_width, grid_top + (row + 0.5) * grid.line,
                   sheet.fit(label, grid.cell_width - 8, prop), prop)
