"""Colours of the charts, safe for colour-blind readers (Okabe & Ito's palette).

A group keeps its colour in every chart of a block because the colour follows the
group's place in the scoring table, not the data. Okabe and Ito chose their eight colours
to stay apart for the three common kinds of colour blindness; vermillion is kept for
penalties (and hatched too, so it never relies on colour alone), black is too heavy for a
bar, so six colours and a grey are left for the groups, then lighter tints of the same for
tables with more groups (told apart by lightness).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

BLUE, ORANGE, GREEN, SKY, PURPLE, YELLOW = (
    "#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442",
)
VERMILLION = "#D55E00"
GREY = "#999999"


def tint(colour: str, share: float) -> str:
    """`colour` mixed with white: share 1 is the colour itself, 0 is white."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * share + 255 * (1 - share)):02x}" for c in rgb)


_BASE = (BLUE, ORANGE, GREEN, SKY, PURPLE, YELLOW, GREY)
PALETTE = (*_BASE, *(tint(c, 0.5) for c in _BASE))
PENALTY = VERMILLION


def group_order(groups: Iterable[str], entries: Iterable[Mapping[str, Decimal]]) -> list[str]:
    """The table's order, then any group the data has but the order lacks (sorted)."""
    ordered = list(dict.fromkeys(groups))
    extra = sorted({g for points in entries for g in points} - set(ordered))
    return ordered + extra


def penalty_groups(entries: Iterable[Mapping[str, Decimal]]) -> frozenset[str]:
    """Penalty points arrive negative; such a group is drawn vermillion and hatched."""
    return frozenset(g for points in entries for g, p in points.items() if p < 0)


def colour_of(group: str, order: list[str], penalties: frozenset[str]) -> str:
    if group in penalties:
        return PENALTY
    return PALETTE[order.index(group) % len(PALETTE)]


DARK_TEXT = "#111111"


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2)."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """Dark or white text, whichever contrasts more with the fill."""
    white = "#ffffff"
    return white if contrast(white, background) > contrast(DARK_TEXT, background) else DARK_TEXT
