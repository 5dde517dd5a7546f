"""The table of what is behind: a row per unit, a column per target with a gap, the key of
numbered columns and the units that met everything. Every size is measured first, so a
table of 30 units and 12 targets still fits 400 points with 11-pt figures: the names
column narrows, the "%" signs go (the hint says what the figures are), and past that the
columns are split into panels stacked one above the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.charts import draw
from bot.charts.behind import GOAL, Behind, Column, shown_percent
from bot.charts.draw import Sheet, TitlePlan
from bot.charts.model import ProgressChart
from bot.charts.palette import GREY, SKY, VERMILLION, YELLOW, tint
from bot.texts import catalog

# Bands, light to dark within the colour-blind-safe palette: met (sky blue), halfway
# (yellow), far behind (vermillion), nothing reported (grey); dark text reads on all.
DONE, HALF, LOW, NONE = tint(SKY, 0.35), tint(YELLOW, 0.55), tint(VERMILLION, 0.55), \
    tint(GREY, 0.25)
BANDS = ((DONE, "chart-progress-band-done"), (HALF, "chart-progress-band-half"),
         (LOW, "chart-progress-band-low"), (NONE, "chart-progress-band-none"))
TITLED_COLUMNS_MAX = 3  # up to this many columns their heads carry the titles
NAME_SHARE, NAME_MIN = 0.4, 100.0  # the names column: at most 40 % of the width, or less
CELL_MAX = 120.0  # points; wider cells only spread the figures apart
GAP = 6.0  # between the names and the first column


def band(percent: Decimal | None) -> str:
    if percent is None:
        return NONE
    if percent >= GOAL:
        return DONE
    return HALF if percent >= 50 else LOW


@dataclass(frozen=True)
class Table:
    names: tuple[str, ...]
    name_width: float
    panels: tuple[tuple[Column, ...], ...]
    cell: float  # width of a column
    heads: tuple[tuple[str, ...], ...]  # lines of each column head (one panel: titled)
    head_height: float
    sign: bool  # "%" after the figures
    pitch: float

    @property
    def height(self) -> float:
        rows = len(self.names)
        return sum(self.head_height + rows * self.pitch for _ in self.panels) + \
            10 * (len(self.panels) - 1)


def plan_table(sheet: Sheet, chart: ProgressChart, found: Behind) -> Table:
    prop, bold = draw.font(11), draw.font(11, "bold")
    columns = found.columns
    count = len(columns)
    pitch = 22.0 if len(found.rows) <= 15 else 20.0

    # The column is as wide as its longest name, and its head ("Đơn vị"), at least.
    head = sheet.width(catalog().plain(chart.lang, "chart-progress-unit-column"), bold)

    def names_within(limit: float) -> tuple[tuple[str, ...], float]:
        names = tuple(sheet.fit(e.label, limit, prop) for e in found.rows)
        return names, max(head, *(sheet.width(n, prop) for n in names))

    names, name_width = names_within(draw.ROOM * NAME_SHARE)
    if count <= TITLED_COLUMNS_MAX:
        cell = min((draw.ROOM - name_width - GAP) / count, CELL_MAX)
        heads = tuple(tuple(sheet.wrap(col.title, cell - 6, bold, 3)) for col in columns)
        lines = max(len(h) for h in heads)
        return Table(names, name_width, (columns,), cell, heads,
                     lines * draw.line_pitch(bold) + 4, True, pitch)
    with_sign = sheet.width("99%", prop) + 8
    plain = sheet.width("99", prop) + 8
    room = draw.ROOM - name_width - GAP
    if count * plain > room:
        names, name_width = names_within(NAME_MIN)
        room = draw.ROOM - name_width - GAP
    sign = count * with_sign <= room
    per_panel = max(1, int(room // (with_sign if sign else plain)))
    panels = -(-count // per_panel)
    per_panel = -(-count // panels)  # balanced: 12 in two panels of 6, not 11 and 1
    cell = min(room / per_panel, 48.0)
    parts = tuple(columns[i:i + per_panel] for i in range(0, count, per_panel))
    heads = tuple((str(col.number),) for col in columns)
    return Table(names, name_width, parts, cell, heads, draw.line_pitch(bold) + 4, sign,
                 pitch)


def draw_behind(sheet: Sheet, chart: ProgressChart, head: TitlePlan, found: Behind) -> None:
    c, lang = catalog(), chart.lang
    prop, bold, muted = draw.font(11), draw.font(11, "bold"), draw.font(11)
    summary = sheet.wrap(c.plain(lang, "chart-progress-behind", behind=len(found.rows),
                                 total=len(chart.entries)), draw.ROOM, draw.font(12, "bold"), 2)
    hint = sheet.wrap(c.plain(lang, "chart-progress-hint"), draw.ROOM, muted, 3)
    table = plan_table(sheet, chart, found)
    cells = [[_cell(e.percent_by_criterion.get(col.code), table.sign, lang)
              for col in found.columns] for e in found.rows]
    present = {colour for row in cells for _, colour in row}
    swatches = [draw.Swatch(colour, c.plain(lang, key)) for colour, key in BANDS
                if colour in present]
    legend = draw.plan_grid(sheet, [s.label for s in swatches], prop, 11 * 1.3 + 5, 2)
    numbered = len(table.panels) > 1 or len(found.columns) > TITLED_COLUMNS_MAX
    key = [sheet.fit(f"{col.number}. {col.title}", draw.ROOM, prop) for col in found.columns]
    done = sheet.wrap(c.plain(lang, "chart-progress-done-units",
                              units=", ".join(e.label for e in found.done)),
                      draw.ROOM, prop, 3) if found.done else []
    pitch = draw.line_pitch(prop)

    top = head.height + 2
    hint_top = top + len(summary) * draw.line_pitch(draw.font(12, "bold"))
    table_top = hint_top + len(hint) * pitch + 8
    legend_top = table_top + table.height + 10
    key_top = legend_top + legend.height + 6
    done_top = key_top + ((len(key) + 1) * pitch + 6 if numbered else 0)
    sheet.finish_layout(done_top + len(done) * pitch + draw.MARGIN)

    draw.draw_title(sheet, head)
    sheet.paragraph(top, summary, draw.font(12, "bold"))
    sheet.paragraph(hint_top, hint, muted, color=draw.MUTED)
    _draw_table(sheet, table, found, cells, table_top, c.plain(lang, "chart-progress-unit-column"))
    draw.draw_swatches(sheet, legend_top, swatches, prop, legend)
    if numbered:
        sheet.paragraph(key_top, [c.plain(lang, "chart-progress-criteria-heading")], bold,
                        color=draw.MUTED)
        sheet.paragraph(key_top + pitch, key, prop)
    sheet.paragraph(done_top, done, prop)


def _cell(percent: Decimal | None, sign: bool, lang: str) -> tuple[str, str]:
    """(text, colour) of a cell."""
    c = catalog()
    if percent is None:
        return c.plain(lang, "chart-progress-missing"), NONE
    if percent >= GOAL:
        return c.plain(lang, "chart-progress-met"), DONE
    figure = str(shown_percent(percent))
    text = c.plain(lang, "chart-progress-percent", percent=figure) if sign else figure
    return text, band(percent)


def _draw_table(sheet: Sheet, table: Table, found: Behind, cells: list[list[tuple[str, str]]],
                top: float, unit_head: str) -> None:
    prop, bold = draw.font(11), draw.font(11, "bold")
    head_pitch = draw.line_pitch(bold)
    left = draw.MARGIN + table.name_width + GAP
    boxes: list[draw.Box] = []
    colours: list[str] = []
    first = 0  # index of the panel's first column
    for panel in table.panels:
        heads_bottom = top + table.head_height - 4
        sheet.line(draw.MARGIN, heads_bottom - head_pitch / 2,
                   sheet.fit(unit_head, table.name_width, bold), bold, color=draw.MUTED)
        for i in range(len(panel)):
            lines = table.heads[first + i]
            x = left + (i + 0.5) * table.cell
            for j, text in enumerate(lines):
                y = heads_bottom - (len(lines) - j - 0.5) * head_pitch
                sheet.line(x, y, text, bold, ha="center", color=draw.MUTED)
        rows_top = top + table.head_height
        for r, name in enumerate(table.names):
            y = rows_top + (r + 0.5) * table.pitch
            sheet.line(draw.MARGIN, y, name, prop)
            for i in range(len(panel)):
                text, colour = cells[r][first + i]
                x0 = left + i * table.cell
                boxes.append((x0 + 1, rows_top + r * table.pitch + 1, table.cell - 2,
                              table.pitch - 2))
                colours.append(colour)
                sheet.line(x0 + table.cell / 2, y, text, prop, ha="center", zorder=3)
        first += len(panel)
        top = rows_top + len(table.names) * table.pitch + 10
    sheet.boxes(boxes, colours)
