"""The caption under a chart photo: title, period, and the ranking as text (HTML)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from bot.charts.model import Chart, ProgressChart, RankingChart, RankingEntry
from bot.formatting import format_date, format_points, utf16_len
from bot.texts import catalog

# Bot API sendPhoto: "Photo caption, 0-1024 characters after entities parsing", in UTF-16
# units. We count the HTML source (in UTF-16 units too), which is never shorter than the
# parsed text, so the limit always holds.
CAPTION_LIMIT = 1024


def caption_for(chart: Chart) -> str:
    """The caption (HTML, at most CAPTION_LIMIT characters) for a ranking or progress chart."""
    if isinstance(chart, RankingChart):
        return _ranking_caption(chart)
    return _progress_caption(chart)


def _head(chart: Chart, title_key: str) -> list[str]:
    c = catalog()
    return [
        c.text(chart.lang, title_key, block=chart.block_name),
        c.text(
            chart.lang, "chart-caption-subtitle",
            period=chart.period_label, date=format_date(chart.as_of.date()),
        ),
    ]


def _ranking_caption(chart: RankingChart) -> str:
    c, lang = catalog(), chart.lang
    head = _head(chart, "chart-caption-ranking-title")
    if not chart.entries:
        return _fit([*head, c.text(lang, "chart-caption-no-entries")], [], lang)
    # When every score is provisional one note says so; otherwise a star marks the few.
    if chart.all_provisional:
        head.append(c.text(lang, "chart-caption-provisional-all"))
    elif chart.final:
        head.append(c.text(lang, "chart-caption-final"))
    marked = chart.marked  # once, not per row
    foot = ["", c.text(lang, "chart-caption-provisional-some")] if marked else []

    def row(key: str, silent_key: str) -> Callable[[RankingEntry], str]:
        def render(e: RankingEntry) -> str:
            if e.unreported:
                return c.text(lang, silent_key, rank=e.rank, code=e.unit_code,
                              name=e.unit_name)
            return c.text(
                lang, key, rank=e.rank, code=e.unit_code, name=e.unit_name,
                total=format_points(e.total, lang),
                mark=c.plain(lang, "chart-provisional-mark") if marked and e.provisional else "",
            )
        return render

    full = [*head, "", *map(row("chart-caption-row", "chart-caption-row-unreported"),
                            chart.entries), *foot]
    if _length(full) <= CAPTION_LIMIT:
        return "\n".join(full)
    # Full names do not fit (long names, many units): codes only, then cut the tail.
    short = list(map(row("chart-caption-row-short", "chart-caption-row-unreported-short"),
                     chart.entries))
    return _fit([*head, ""], short, lang, foot)


def _progress_caption(chart: ProgressChart) -> str:
    from bot.charts.behind import behind

    c, lang = catalog(), chart.lang
    lines = [
        *_head(chart, "chart-caption-progress-title"),
        c.text(lang, "chart-caption-progress-note"),
    ]
    if not chart.criteria:
        return _fit(lines, [], lang)
    found = behind(chart)
    if found.rows:
        lines.append(c.text(lang, "chart-caption-progress-behind", behind=len(found.rows),
                            total=len(chart.entries)))
    if found.done:
        # Names, not codes: this is read by people; a count when they would not fit.
        named = c.text(lang, "chart-caption-progress-done",
                       units=", ".join(e.label for e in found.done))
        if _length([*lines, named]) > CAPTION_LIMIT:
            named = c.text(lang, "chart-caption-progress-done-count", count=len(found.done))
        lines.append(named)
    return _fit(lines, [], lang)


def _length(lines: Sequence[str]) -> int:
    return utf16_len("\n".join(lines))


def _fit(head: list[str], rows: list[str], lang: str, foot: Sequence[str] = ()) -> str:
    """Head and foot always; as many rows as fit, then "… and N more units"."""
    for shown in range(len(rows), -1, -1):
        tail = [] if shown == len(rows) else [
            catalog().text(lang, "chart-caption-more", count=len(rows) - shown)
        ]
        lines = [*head, *rows[:shown], *tail, *foot]
        if _length(lines) <= CAPTION_LIMIT:
            return "\n".join(lines)
    # Only an absurdly long block name gets here: drop the markup and cut the plain text,
    # so no tag or entity is ever cut in half.
    plain = html.unescape(re.sub(r"<[^>]*>", "", "\n".join(head)))
    while utf16_len(html.escape(plain, quote=False)) > CAPTION_LIMIT:
        plain = plain[: len(plain) - 16] + "…"
    return html.escape(plain, quote=False)
