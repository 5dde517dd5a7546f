"""Ranking and progress charts as PNG bytes, their captions and cache fingerprints.

Importing this package does not import matplotlib: the render functions load it on
first use, so the bot starts fast. Render off the event loop with `render_off_loop`.
"""

from __future__ import annotations

from bot.charts.caption import CAPTION_LIMIT, caption_for
from bot.charts.fingerprint import chart_fingerprint
from bot.charts.model import (
    Chart,
    ProgressChart,
    ProgressEntry,
    RankingChart,
    RankingEntry,
)
from bot.charts.offloop import render_off_loop
from bot.charts.progress import progress_sheet, render_progress
from bot.charts.ranking import ranking_sheet, render_ranking

__all__ = [
    "CAPTION_LIMIT",
    "Chart",
    "ProgressChart",
    "ProgressEntry",
    "RankingChart",
    "RankingEntry",
    "caption_for",
    "chart_fingerprint",
    "progress_sheet",
    "ranking_sheet",
    "render_off_loop",
    "render_progress",
    "render_ranking",
]
