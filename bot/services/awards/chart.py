"""The results' bar chart: per award, one bar per candidate (votes, most first), the
threshold as a dashed line, proposed units green, tied ones orange. Drawn in the chart
worker (bot.charts.render_off_loop); matplotlib is imported inside the renderer only."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.awards.tally import verdict

if TYPE_CHECKING:  # the chart worker imports this module: it stays light
    from bot.services.awards.state import VoteState
    from bot.services.awards.tally import Tally
    from bot.texts import Catalog

COLOURS = {"proposed": "#2e7d32", "tied": "#ef6c00", "passed": "#1565c0",
           "failed": "#9e9e9e"}
WIDTH_IN = 12.0
DPI = 100


@dataclass(frozen=True)
class Bar:
    code: str
    votes: int
    state: str  # proposed | tied | passed | failed


@dataclass(frozen=True)
class AwardBars:
    name: str
    line: float | None  # votes a unit must exceed (threshold x electorate); None: runoff
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class ResultsChart:
    title: str
    subtitle: str
    electorate: int
    awards: tuple[AwardBars, ...]
    legend: tuple[tuple[str, str], ...]  # (state, label)
    threshold_label: str


def chart_of(texts: Catalog, lang: str, state: VoteState, tally: Tally, title: str
             ) -> ResultsChart:
    awards = []
    for result in tally.awards:
        bars = tuple(Bar(state.code(c.unit_id), c.votes, verdict(result, c))
                     for c in result.candidates)
        line = (float(result.threshold * tally.electorate) if result.threshold is not None
                else None)
        awards.append(AwardBars(result.award.name, line, bars))
    return ResultsChart(
        title=title,
        subtitle=texts.plain(lang, "awards-chart-subtitle", cast=tally.cast,
                             total=tally.electorate),
        electorate=tally.electorate, awards=tuple(awards),
        legend=tuple((k, texts.plain(lang, f"awards-chart-{k}")) for k in COLOURS),
        threshold_label=texts.plain(lang, "awards-chart-threshold"))


def render_results(chart: ResultsChart) -> bytes:
    """PNG bytes, 1200 px wide (same data -> same bytes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows = sum(max(len(a.bars), 1) for a in chart.awards)
    height = 1.6 + 0.9 * len(chart.awards) + 0.42 * rows
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    fig.suptitle(chart.title, fontsize=17, fontweight="bold", family="DejaVu Sans", y=0.985)
    fig.text(0.5, 1 - 0.62 / height, chart.subtitle, ha="center", fontsize=12,
             family="DejaVu Sans", color="#555555")
    grid = fig.add_gridspec(len(chart.awards), 1,
                            height_ratios=[max(len(a.bars), 1) + 1.5 for a in chart.awards],
                            top=1 - 1.0 / height, bottom=0.55 / height, hspace=0.55,
                            left=0.14, right=0.97)
    for index, award in enumerate(chart.awards):
        ax = fig.add_subplot(grid[index])
        labels = [b.code for b in award.bars]
        ax.barh(range(len(labels)), [b.votes for b in award.bars],
                color=[COLOURS[b.state] for b in award.bars], height=0.66)
        for y, bar in enumerate(award.bars):
            ax.text(bar.votes + chart.electorate * 0.01, y, str(bar.votes), va="center",
                    fontsize=12, family="DejaVu Sans")
        ax.set_yticks(range(len(labels)), labels, fontsize=12, family="DejaVu Sans")
        ax.invert_yaxis()
        ax.set_xlim(0, max(chart.electorate, 1) * 1.06)
        ax.set_title(award.name, loc="left", fontsize=14, fontweight="bold",
                     family="DejaVu Sans")
        if award.line is not None:
            ax.axvline(award.line, color="#c62828", linestyle="--", linewidth=1.4,
                       label=chart.threshold_label)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [Patch(color=COLOURS[k], label=label) for k, label in chart.legend]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               fontsize=11)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
