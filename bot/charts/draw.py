"""Drawing primitives both charts share: a figure laid out in inches from the top, text
that is measured, cut with an ellipsis or wrapped before it is placed (so nothing
overlaps), the title block and small swatch/label grids (legends, name tables).

Only the render functions import this module, so matplotlib loads lazily. Everything is
on a Figure of its own with an Agg canvas (no pyplot, no global state), so charts can be
drawn in several threads or processes at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.transforms import offset_copy

# Telegram shows photos up to ~1280 px on their long side; 1200 px wide reads well on a
# phone once zoomed and keeps the file small. dpi 100 keeps rendering fast.
WIDTH_IN = 12.0
DPI = 100
FONT = "DejaVu Sans"  # ships with matplotlib and covers Vietnamese diacritics
INK = "#1a1a1a"
MUTED = "#555555"
ALERT = "#c62828"
OFFICIAL = "#2e7d32"  # the "CHÍNH THỨC" badge: settled, unlike the red "TẠM TÍNH"
ELLIPSIS = "…"
CAP_CENTRE = 0.36  # half the capital height of DejaVu Sans, in ems


@cache
def _charmap() -> frozenset[int]:
    return frozenset(get_font(findfont(FontProperties(family=FONT))).get_charmap())


def clean(text: str) -> str:
    """One line, and characters the font lacks (emoji…) become "?" instead of boxes and
    "Glyph missing" warnings."""
    known = _charmap()
    flat = " ".join(text.split())
    return "".join(ch if ord(ch) in known else "?" for ch in flat)


def font(size: float, weight: str = "normal", italic: bool = False) -> FontProperties:
    return FontProperties(family=FONT, size=size, weight=weight,
                          style="italic" if italic else "normal")


@dataclass(frozen=True)
class Swatch:
    colour: str
    label: str
    hatch: str | None = None


class Sheet:
    """A figure WIDTH_IN wide whose height is set once the content is measured; positions
    are in inches from the top-left corner, which keeps layout arithmetic readable."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=(WIDTH_IN, 1.0), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self._renderer = self.canvas.get_renderer()
        self.height = 1.0

    # --- measuring -------------------------------------------------------------------
    def width(self, text: str, prop: FontProperties) -> float:
        w, _, _ = self._renderer.get_text_width_height_descent(text, prop, ismath=False)
        return float(w) / DPI

    def fit(self, text: str, limit: float, prop: FontProperties) -> str:
        """The text, or its longest prefix + "…" that fits in `limit` inches."""
        text = clean(text)
        if self.width(text, prop) <= limit:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits, found by bisection
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + ELLIPSIS, prop) <= limit:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + ELLIPSIS if lo else ELLIPSIS

    def wrap(self, text: str, limit: float, prop: FontProperties, max_lines: int) -> list[str]:
        """Greedy word wrap to `limit` inches; the last allowed line ends with "…"."""
        lines: list[str] = []
        words = clean(text).split(" ")
        while words and len(lines) < max_lines:
            line = words.pop(0)
            while words and self.width(f"{line} {words[0]}", prop) <= limit:
                line = f"{line} {words.pop(0)}"
            lines.append(line)
        if words:
            lines[-1] = lines[-1] + " " + " ".join(words)
        return [self.fit(line, limit, prop) for line in lines]

    # --- placing ---------------------------------------------------------------------
    def finish_layout(self, height: float) -> None:
        self.height = height
        self.fig.set_size_inches(WIDTH_IN, height)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x / WIDTH_IN, 1.0 - y / self.height

    def text(self, x: float, y: float, text: str, prop: FontProperties, **kw: Any) -> None:
        """Text whose top-left (by default) is at (x, y) inches from the top-left corner."""
        kw.setdefault("va", "top")
        kw.setdefault("color", INK)
        self.fig.text(*self.xy(x, y), text, fontproperties=prop, parse_math=False, **kw)

    def line(self, x: float, y: float, text: str, prop: FontProperties, **kw: Any) -> None:
        """Text whose capitals are centred on y: rows stay level whether or not a line has
        tall diacritics (Ủ, Ấ), which "va=center" would shift."""
        self.text(x, y + CAP_CENTRE * prop.get_size_in_points() / 72, text, prop,
                  va="baseline", **kw)

    def mid(self, transform: Any, prop: FontProperties) -> Any:
        """`transform` shifted so that text drawn at baseline is centred like `line`."""
        return offset_copy(transform, fig=self.fig, y=-CAP_CENTRE * prop.get_size_in_points(),
                           units="points")

    def axes(self, left: float, top: float, width: float, height: float) -> object:
        x0, y1 = self.xy(left, top + height)
        return self.fig.add_axes((x0, y1, width / WIDTH_IN, height / self.height))

    def png(self) -> bytes:
        out = io.BytesIO()
        # No "Software" chunk (it carries the matplotlib version): same data, same bytes.
        self.fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()


MARGIN = 0.35
TITLE = font(20, "bold")
SUBTITLE = font(14)
BADGE = font(14, "bold")


@dataclass(frozen=True)
class TitlePlan:
    lines: tuple[str, ...]  # the title, wrapped (a long block name takes two lines)
    subtitle: str
    badge: str | None
    badge_width: float
    badge_colour: str = ALERT

    @property
    def height(self) -> float:
        return 0.25 + 0.4 * len(self.lines) + 0.3


def plan_title(sheet: Sheet, title: str, subtitle: str, badge: str | None,
               badge_colour: str = ALERT) -> TitlePlan:
    room = WIDTH_IN - 2 * MARGIN
    badge_width = sheet.width(badge, BADGE) + 0.35 if badge else 0.0
    if badge:
        room -= badge_width + 0.25
    return TitlePlan(tuple(sheet.wrap(title, room, TITLE, 2)),
                     sheet.fit(subtitle, room, SUBTITLE), badge, badge_width, badge_colour)


def draw_title(sheet: Sheet, plan: TitlePlan) -> None:
    """Title and subtitle at the top; a badge ("TẠM TÍNH", "CHÍNH THỨC") on the right."""
    if plan.badge:
        x0, y0 = sheet.xy(WIDTH_IN - MARGIN - plan.badge_width, 0.47)
        sheet.fig.patches.append(FancyBboxPatch(
            (x0, y0), plan.badge_width / WIDTH_IN, 0.44 / sheet.height,
            boxstyle="round,pad=0,rounding_size=0.008", transform=sheet.fig.transFigure,
            facecolor=plan.badge_colour, edgecolor="none",
        ))
        sheet.line(WIDTH_IN - MARGIN - plan.badge_width / 2, 0.25, plan.badge, BADGE,
                   color="white", ha="center")
    y = 0.25
    for line in plan.lines:
        sheet.line(MARGIN, y, line, TITLE)
        y += 0.4
    sheet.line(MARGIN, y - 0.03, plan.subtitle, SUBTITLE, color=MUTED)


@dataclass(frozen=True)
class Grid:
    """Cells laid out column by column (reading down, like a printed list)."""

    columns: int
    rows: int
    cell_width: float
    line: float

    @property
    def height(self) -> float:
        return self.rows * self.line


def plan_grid(
    sheet: Sheet, labels: Sequence[str], prop: FontProperties, lead: float,
    max_columns: int, min_columns: int = 1,
) -> Grid:
    """As many columns as let every label fit whole, between the bounds (past
    `min_columns`, labels are cut with "…"). `lead` is the width before each label."""
    room = WIDTH_IN - 2 * MARGIN
    widest = max((sheet.width(clean(t), prop) for t in labels), default=0.0) + lead + 0.3
    fitting = int(room // max(widest, 0.1))
    columns = max(1, min(max_columns, len(labels), max(fitting, min_columns)))
    rows = -(-len(labels) // columns)
    # Balance: with 7 labels in 4 columns use 2 rows of 4/3, not 4 half-empty columns.
    columns = -(-len(labels) // rows) if rows else 1
    line = prop.get_size_in_points() * 1.75 / 72
    return Grid(columns, rows, room / columns, line)


def draw_swatches(sheet: Sheet, top: float, items: Sequence[Swatch], prop: FontProperties,
                  grid: Grid) -> None:
    box = prop.get_size_in_points() / 72
    for i, item in enumerate(items):
        col, row = divmod(i, grid.rows)
        x, y = MARGIN + col * grid.cell_width, top + row * grid.line
        x0, y0 = sheet.xy(x, y + grid.line / 2 + box / 2)
        sheet.fig.patches.append(Rectangle(
            (x0, y0), box * 1.4 / WIDTH_IN, box / sheet.height, transform=sheet.fig.transFigure,
            facecolor=item.colour, hatch=item.hatch, edgecolor="white" if item.hatch else "none",
            linewidth=0,
        ))
        label = sheet.fit(item.label, grid.cell_width - box * 1.4 - 0.3, prop)
        sheet.line(x + box * 1.4 + 0.12, y + grid.line / 2, label, prop)


def draw_pairs(sheet: Sheet, top: float, pairs: Sequence[tuple[str, str]],
               key_prop: FontProperties, prop: FontProperties, key_width: float,
               grid: Grid) -> None:
    """"CODE  full name" rows (names table, criteria key), each cut to its cell."""
    for i, (key, value) in enumerate(pairs):
        col, row = divmod(i, grid.rows)
        x, y = MARGIN + col * grid.cell_width, top + row * grid.line + grid.line / 2
        sheet.line(x, y, key, key_prop)
        sheet.line(x + key_width, y, sheet.fit(value, grid.cell_width - key_width - 0.25, prop),
                   prop)


# Names under the chart only while they stay a readable list, not a wall of text.
NAMES_MAX_UNITS = 45


@dataclass(frozen=True)
class NamesTable:
    """"CODE  full name" of every unit, in the chart's order, under a heading."""

    heading: str
    pairs: tuple[tuple[str, str], ...]
    key: FontProperties
    prop: FontProperties
    key_width: float
    grid: Grid

    @property
    def height(self) -> float:
        return 0.4 + self.grid.height if self.pairs else 0.0


def plan_names(sheet: Sheet, heading: str, pairs: Sequence[tuple[str, str]]) -> NamesTable:
    """The table, or an empty one (height 0) when names add nothing or would not fit."""
    size = 12 if len(pairs) <= 20 else 11
    prop, key = font(size), font(size, "bold")
    useful = any(name.strip() and name.strip() != code for code, name in pairs)
    if not useful or len(pairs) > NAMES_MAX_UNITS:
        pairs = ()
    codes = [sheet.fit(code, 1.8, key) for code, _ in pairs]
    key_width = max((sheet.width(code, key) for code in codes), default=0.0) + 0.25
    # Long lists go in columns even if the longest names must then be cut.
    grid = plan_grid(sheet, [name for _, name in pairs], prop, key_width, 3,
                     min_columns=1 if len(pairs) <= 8 else 2)
    rows = tuple(zip(codes, (name for _, name in pairs), strict=True))
    return NamesTable(heading, rows, key, prop, key_width, grid)


def draw_names(sheet: Sheet, top: float, table: NamesTable) -> None:
    if not table.pairs:
        return
    sheet.text(MARGIN, top, table.heading, font(12.5, "bold"), color=MUTED)
    draw_pairs(sheet, top + 0.4, table.pairs, table.key, table.prop, table.key_width,
               table.grid)
