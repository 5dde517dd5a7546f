"""Colours of criterion groups: a group keeps its colour in every chart of a block
because the colour follows the group's place in the scoring table, not the data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

# Tableau 10 without its red (red means "penalty"), then the paler companions for blocks
# with many groups. Tableau's palette was designed to stay distinguishable side by side.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94",
    "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)
PENALTY = "#d62728"


def group_order(groups: Iterable[str], entries: Iterable[Mapping[str, Decimal]]) -> list[str]:
    """The table's order, then any group the data has but the order lacks (sorted)."""
    ordered = list(dict.fromkeys(groups))
    extra = sorted({g for points in entries for g in points} - set(ordered))
    return ordered + extra


def penalty_groups(entries: Iterable[Mapping[str, Decimal]]) -> frozenset[str]:
    """Penalty points arrive negative; such a group is drawn red and hatched."""
    return frozenset(g for points in entries for g, p in points.items() if p < 0)


def colour_of(group: str, order: list[str], penalties: frozenset[str]) -> str:
    if group in penalties:
        return PENALTY
    return PALETTE[order.index(group) % len(PALETTE)]


def text_colour_on(background: str) -> str:
    """Black on pale fills, white on dark ones (relative luminance, WCAG formula)."""
    rgb = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#111111" if luminance > 0.35 else "white"
