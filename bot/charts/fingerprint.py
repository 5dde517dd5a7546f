"""A stable hash of what a chart shows, so a repeated /ranking with nothing changed can
reuse the file id Telegram returned for the same picture."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from bot.charts.model import Chart, RankingChart
from bot.formatting import format_date

# Bump whenever the drawing changes, so cached file ids of old-looking pictures expire.
RENDER_VERSION = 3


def _number(value: Decimal) -> str:
    # 95.50 and 95.5 draw the same picture; "f" avoids 1E+2 for 100.
    return format(value.normalize(), "f")


def _canonical(chart: Chart) -> dict[str, Any]:
    common: dict[str, Any] = {
        "version": RENDER_VERSION,
        "lang": chart.lang,
        "block": chart.block_name,
        "period": chart.period_label,
        # Only the date is drawn: the same data later the same day is the same picture.
        "date": format_date(chart.as_of.date()),
    }
    if isinstance(chart, RankingChart):
        return common | {
            "kind": "ranking",
            "max": _number(chart.max_points),
            "groups": list(chart.groups),
            "entries": [
                [
                    e.unit_code,
                    e.unit_name,
                    e.rank,
                    _number(e.total),
                    sorted([g, _number(p)] for g, p in e.points_by_group.items()),
                    e.provisional,
                    e.unreported,
                    e.short_name,
                ]
                for e in chart.entries
            ],
        }
    return common | {
        "kind": "progress",
        "criteria": [list(c) for c in chart.criteria],
        "entries": [
            [
                e.unit_code,
                e.unit_name,
                sorted([c, _number(p)] for c, p in e.percent_by_criterion.items()),
                e.short_name,
            ]
            for e in chart.entries
        ],
    }


def chart_fingerprint(chart: Chart) -> str:
    """sha256 (hex) of a canonical JSON form of the chart's data and the drawing version."""
    text = json.dumps(_canonical(chart), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
