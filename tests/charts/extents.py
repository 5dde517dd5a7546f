"""Every label of a drawn chart as matplotlib renders it: its text, font size and window
extent (in image pixels), read with the renderer after a full draw, so tick labels and
the axis title are measured where matplotlib puts them, not where we meant them to go."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.text import Text
from matplotlib.transforms import Bbox

from bot.charts.draw import DISPLAY_PX, Sheet


@dataclass(frozen=True)
class Label:
    text: str
    size_pt: float
    box: Bbox  # image pixels, origin bottom-left

    def shown_height(self, image_width: float) -> float:
        """The label's height in pixels when the picture is shown DISPLAY_PX wide."""
        return self.box.height * DISPLAY_PX / image_width


def labels(sheet: Sheet) -> list[Label]:
    sheet.canvas.draw()
    renderer = sheet.canvas.get_renderer()
    found = []
    for artist in sheet.fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        found.append(Label(artist.get_text(), float(artist.get_fontsize()),
                           artist.get_window_extent(renderer)))
    return found


def image_size(sheet: Sheet) -> tuple[float, float]:
    width, height = sheet.canvas.get_width_height()
    return float(width), float(height)


def overlap(a: Bbox, b: Bbox, slack: float = 1.0) -> bool:
    """Whether two boxes share more than a sliver (`slack` pixels each way)."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > slack
            and min(a.y1, b.y1) - max(a.y0, b.y0) > slack)


def inside(inner: Bbox, outer: Bbox, slack: float = 0.5) -> bool:
    return (inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
            and inner.y0 >= outer.y0 - slack and inner.y1 <= outer.y1 + slack)
