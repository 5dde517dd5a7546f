"""Drawing primitives both charts share, laid out for a phone.

The phone rule: a chat shows a photo about 400 px wide, in the phone's own pixels (an
Android dp, an iOS point), and a label reads without zooming from 11 pt up (Apple's
minimum text size; one phone point is one such pixel). So a sheet is drawn at the size it
is seen: WIDTH = 400 points wide, positions and sizes in points from the top-left corner,
no text under MIN_TEXT_PT (`font` refuses smaller), and saved at DPI = 216, three image
pixels per point (a 1200-px PNG, as sharp as a phone's screen). Shown 400 px wide, an
11-pt label is then 11 px tall, whatever the number of units.

Text is measured, cut with an ellipsis or wrapped before it is placed, so nothing overlaps.
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
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import FancyBboxPatch

DISPLAY_PX = 400  # how wide a chat shows the photo, in the phone's pixels
WIDTH = 400.0  # points: one point of the sheet is one pixel of that display
MIN_TEXT_PT = 11.0
DPI = 216  # 3 image pixels per point: 1200 px wide
PT = 72.0  # points per inch
MARGIN = 12.0
ROOM = WIDTH - 2 * MARGIN
FONT = "DejaVu Sans"  # ships with matplotlib and covers Vietnamese diacritics
INK = "#1a1a1a"
MUTED = "#555555"
# Badges: red "TẠM TÍNH", blue "CHÍNH THỨC". Red and blue stay apart for every kind of
# colour blindness (red and green do not), and white text on either passes WCAG AA.
ALERT = "#c62828"
OFFICIAL = "#0072B2"  # Okabe-Ito blue
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
    if size < MIN_TEXT_PT:
        raise ValueError(f"{size} pt is below the phone's {MIN_TEXT_PT:g} pt")
    return FontProperties(family=FONT, size=size, weight=weight,
                          style="italic" if italic else "normal")


@dataclass(frozen=True)
class Swatch:
    colour: str
    label: str
    hatch: str | None = None


Box = tuple[float, float, float, float]  # x, y (top-left), width, height in points


class Sheet:
    """A figure WIDTH points wide whose height is set once the content is measured."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=(WIDTH / PT, 1.0), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self._renderer = self.canvas.get_renderer()
        self.height = PT

    # --- measuring -------------------------------------------------------------------
    def width(self, text: str, prop: FontProperties) -> float:
        w, _, _ = self._renderer.get_text_width_height_descent(text, prop, ismath=False)
        return float(w) * PT / DPI

    def fit(self, text: str, limit: float, prop: FontProperties) -> str:
        """The text, or its longest prefix + "…" that fits in `limit` points."""
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
        """Greedy word wrap to `limit` points; the last allowed line ends with "…"."""
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
        self.fig.set_size_inches(WIDTH / PT, height / PT)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x / WIDTH, 1.0 - y / self.height

    def text(self, x: float, y: float, text: str, prop: FontProperties, **kw: Any) -> None:
        """Text whose top-left (by default) is at (x, y) points from the top-left corner."""
        kw.setdefault("va", "top")
        kw.setdefault("color", INK)
        self.fig.text(*self.xy(x, y), text, fontproperties=prop, parse_math=False, **kw)

    def line(self, x: float, y: float, text: str, prop: FontProperties, **kw: Any) -> None:
        """Text whose capitals are centred on y: rows stay level whether or not a line has
        tall diacritics (Ủ, Ấ), which "va=center" would shift."""
        self.text(x, y + CAP_CENTRE * prop.get_size_in_points(), text, prop,
                  va="baseline", **kw)

    def axes(self, left: float, top: float, width: float, height: float) -> Any:
        x0, y1 = self.xy(left, top + height)
        return self.fig.add_axes((x0, y1, width / WIDTH, height / self.height))

    def boxes(self, boxes: Sequence[Box], colours: Sequence[str], **kw: Any) -> None:
        """Filled rectangles in one collection (hundreds stay fast), behind the text."""
        polygons = []
        for x, y, w, h in boxes:
            x0, y0 = x / PT, (self.height - y - h) / PT
            polygons.append([(x0, y0), (x0 + w / PT, y0), (x0 + w / PT, y0 + h / PT),
                             (x0, y0 + h / PT)])
        kw.setdefault("edgecolors", "none")
        self.fig.add_artist(PolyCollection(polygons, facecolors=list(colours),
                                           transform=self.fig.dpi_scale_trans, zorder=0, **kw))

    def paragraph(self, top: float, lines: Sequence[str], prop: FontProperties,
                  **kw: Any) -> float:
        """Lines from `top` at the left margin; returns where the next block starts."""
        pitch = line_pitch(prop)
        for i, text in enumerate(lines):
            self.line(MARGIN, top + (i + 0.5) * pitch, text, prop, **kw)
        return top + len(lines) * pitch

    def png(self) -> bytes:
        out = io.BytesIO()
        # No "Software" chunk (it carries the matplotlib version): same data, same bytes.
        self.fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()


def line_pitch(prop: FontProperties) -> float:
    """Points from one line of text to the next (room for Vietnamese diacritics)."""
    return prop.get_size_in_points() * 1.45


TITLE = 15.0
SUBTITLE = 11.5
BADGE = 11.0


@dataclass(frozen=True)
class TitlePlan:
    lines: tuple[str, ...]  # the title, wrapped (a long block name takes two lines)
    subtitle: str
    badge: str | None
    badge_width: float
    badge_colour: str = ALERT

    @property
    def height(self) -> float:
        return MARGIN + TITLE * 1.3 * len(self.lines) + SUBTITLE * 1.6 + 8


def plan_title(sheet: Sheet, title: str, subtitle: str, badge: str | None,
               badge_colour: str = ALERT) -> TitlePlan:
    room = ROOM
    badge_width = sheet.width(badge, font(BADGE, "bold")) + 12 if badge else 0.0
    if badge:
        room -= badge_width + 8
    prop = font(TITLE, "bold")
    head, dash, rest = clean(title).partition(" – ")
    if dash and sheet.width(clean(title), prop) > room:
        # "Bảng xếp hạng thi đua –" / "Khối thi đua 6": break where the sense breaks.
        lines = [sheet.fit(head + " –", room, prop), sheet.fit(rest, room, prop)]
    else:
        lines = sheet.wrap(title, room, prop, 2)
    return TitlePlan(tuple(lines), sheet.fit(subtitle, ROOM, font(SUBTITLE)), badge,
                     badge_width, badge_colour)


def draw_title(sheet: Sheet, plan: TitlePlan) -> None:
    """Title and subtitle at the top; a badge ("TẠM TÍNH", "CHÍNH THỨC") on the right."""
    first = MARGIN + TITLE * 0.65  # the centre of the first title line
    if plan.badge:
        left, height = WIDTH - MARGIN - plan.badge_width, 19.0
        x0, y0 = sheet.xy(left, first + height / 2)
        sheet.fig.patches.append(FancyBboxPatch(
            (x0, y0), plan.badge_width / WIDTH, height / sheet.height,
            boxstyle="round,pad=0,rounding_size=0.01", transform=sheet.fig.transFigure,
            facecolor=plan.badge_colour, edgecolor="none",
        ))
        sheet.line(left + plan.badge_width / 2, first, plan.badge, font(BADGE, "bold"),
                   color="white", ha="center")
    for i, text in enumerate(plan.lines):
        sheet.line(MARGIN, first + i * TITLE * 1.3, text, font(TITLE, "bold"))
    sheet.line(MARGIN, MARGIN + len(plan.lines) * TITLE * 1.3 + SUBTITLE * 0.8, plan.subtitle,
               font(SUBTITLE), color=MUTED)


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


def plan_grid(sheet: Sheet, labels: Sequence[str], prop: FontProperties, lead: float,
              max_columns: int) -> Grid:
    """As many columns (up to `max_columns`) as let every label fit whole; with one
    column, labels too long are cut with "…". `lead` is the width before each label."""
    widest = max((sheet.width(clean(t), prop) for t in labels), default=0.0) + lead + 10
    fitting = int(ROOM // max(widest, 1.0))
    columns = max(1, min(max_columns, len(labels), fitting))
    rows = -(-len(labels) // columns)
    # Balance: with 5 labels in 4 columns use 2 rows of 3/2, not 4 half-empty columns.
    columns = -(-len(labels) // rows) if rows else 1
    return Grid(columns, rows, ROOM / columns, line_pitch(prop))


def draw_swatches(sheet: Sheet, top: float, items: Sequence[Swatch], prop: FontProperties,
                  grid: Grid) -> None:
    size = prop.get_size_in_points()
    boxes: list[Box] = []
    for i, item in enumerate(items):
        col, row = divmod(i, grid.rows)
        x, y = MARGIN + col * grid.cell_width, top + (row + 0.5) * grid.line
        boxes.append((x, y - size * 0.45, size * 1.3, size * 0.9))
        label = sheet.fit(item.label, grid.cell_width - size * 1.3 - 10, prop)
        sheet.line(x + size * 1.3 + 5, y, label, prop)
    hatched = [i for i, item in enumerate(items) if item.hatch]
    plain = [i for i in range(len(items)) if i not in hatched]
    sheet.boxes([boxes[i] for i in plain], [items[i].colour for i in plain])
    for i in hatched:  # hatching is per collection: one each (a legend has one or two)
        sheet.boxes([boxes[i]], [items[i].colour], hatch=items[i].hatch,
                    edgecolors="white", linewidths=0)
