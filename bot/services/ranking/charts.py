"""The data of the ranking and progress charts, built from a ranking or a phase's reports.

Groups follow the scoring table's order (so a group keeps its colour in every chart);
bonus groups are positive, penalty groups negative; the dashed "maximum" is the most a unit
can reach in the period (base table plus every bonus, weighted for the year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.blockfile.model import short_name_of
from bot.charts import ProgressChart, ProgressEntry, RankingChart, RankingEntry
from bot.services.ranking.rank import (
    YEAR_WORDS,
    Period,
    Ranking,
    Standing,
    load_ranking,
    pick_period,
)
from bot.services.scoring import MEASURED_KINDS, ZERO, progress_percent, round_points
from bot.services.targets import block_targets
from bot.texts import catalog
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, BlockTree, Criterion, Phase
from storage.reports.queries import block_reports
from storage.reports.records import BlockReports

# Column heads of the progress table stay short; the full title is in the block file.
PROGRESS_TITLE_MAX = 60


def group_of(criterion: Criterion, lang: str) -> str:
    """The criterion's group heading; criteria without one get a generic heading."""
    if criterion.group_name:
        return criterion.group_name
    kind = "penalty" if criterion.penalty else "bonus" if criterion.bonus else "other"
    return catalog().plain(lang, f"ranking-group-{kind}")


def period_label(tree: BlockTree, period: Period, lang: str) -> str:
    if period.phase is not None:
        return period.phase.name
    return catalog().plain(lang, "chart-period-year", year=tree.block.year)


def _groups(standing: Standing, criteria: tuple[Criterion, ...], lang: str
            ) -> dict[str, Decimal]:
    points: dict[str, Decimal] = {}
    for criterion in criteria:
        value = standing.criteria[criterion.id].points
        if criterion.penalty:
            value = -value
        group = group_of(criterion, lang)
        points[group] = points.get(group, ZERO) + value
    return {g: round_points(p) for g, p in points.items() if p != 0}


def ranking_chart(ranking: Ranking, *, as_of: datetime, lang: str) -> RankingChart:
    """The ranking as chart data (aware as_of, shown in the block's timezone)."""
    tree = ranking.tree
    criteria = tree.criteria
    return RankingChart(
        block_name=tree.block.name,
        period_label=period_label(tree, ranking.period, lang),
        as_of=as_of.astimezone(tree.block.tz),
        max_points=ranking.max_points,
        groups=tuple(dict.fromkeys(group_of(c, lang) for c in criteria)),
        entries=tuple(
            RankingEntry(
                unit_code=s.unit.code,
                unit_name=s.unit.name,
                short_name=short_name_of(s.unit.name, s.unit.short_name),
                rank=s.rank,
                total=ZERO if s.unreported else s.total,
                # No bar and no star: "chưa nộp báo cáo" is the whole story of that row.
                points_by_group={} if s.unreported else _groups(s, criteria, lang),
                provisional=s.provisional and not s.unreported,
                unreported=s.unreported,
            )
            for s in ranking.standings
        ),
        lang=lang,
    )


def _short(title: str) -> str:
    return title if len(title) <= PROGRESS_TITLE_MAX else title[: PROGRESS_TITLE_MAX - 1] + "…"


def progress_chart(
    tree: BlockTree, data: BlockReports, targets: dict[int, dict[str, Decimal]], phase: Phase,
    *, as_of: datetime, lang: str,
) -> ProgressChart:
    """Each unit's % of each number/percent target in the phase (pure)."""
    measured = [c for c in tree.criteria if c.kind in MEASURED_KINDS]
    entries = []
    for unit in tree.units:
        found = data.get(unit.id, phase.id)
        percents: dict[str, Decimal] = {}
        for criterion in measured:
            value = found.values.get(criterion.id) if found else None
            percent = progress_percent(
                criterion, value.self_value if value else None,
                targets.get(unit.id, {}).get(criterion.code),
            )
            if percent is not None:
                percents[criterion.code] = percent
        entries.append(ProgressEntry(unit.code, unit.name, percents,
                                     short_name_of(unit.name, unit.short_name)))
    return ProgressChart(
        block_name=tree.block.name,
        period_label=phase.name,
        as_of=as_of.astimezone(tree.block.tz),
        criteria=tuple((c.code, _short(c.title)) for c in measured),
        entries=tuple(entries),
        lang=lang,
    )


async def load_progress(
    db: Database, block: Block, phase: Phase, *, as_of: datetime, lang: str
) -> ProgressChart:
    """The progress chart from one read: the phase's reports (one aggregate query) and the
    units' own targets."""
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        data = await block_reports(conn, block.id, phase.id)
        targets = await block_targets(conn, tree.units)
    return progress_chart(tree, data, targets, phase, as_of=as_of, lang=lang)


RANKING = "ranking"
PROGRESS = "progress"


@dataclass(frozen=True)
class ChartAnswer:
    """A chart to send, or the catalog key of why there is none (with the phase codes)."""

    chart: RankingChart | ProgressChart | None
    problem: str | None = None
    code: str = ""
    codes: str = ""


async def chart_for(
    db: Database, block: Block, kind: str, arg: str | None, *, now: datetime, lang: str
) -> ChartAnswer:
    """The chart `/ranking [PHASE|year]` or `/progress [PHASE]` asks for."""
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
    codes = ", ".join(p.code for p in tree.phases)
    if kind == PROGRESS and arg is not None and arg.strip().lower() in YEAR_WORDS:
        return ChartAnswer(None, "progress-year", codes=codes)
    period = pick_period(tree, now, arg)
    if period is None:
        problem = f"{kind}-unknown-period" if arg else f"{kind}-no-phase"
        return ChartAnswer(None, problem, code=arg or "", codes=codes)
    if kind == PROGRESS:
        assert period.phase is not None
        return ChartAnswer(await load_progress(db, block, period.phase, as_of=now, lang=lang))
    ranking = await load_ranking(db, block, period, now=now)
    return ChartAnswer(ranking_chart(ranking, as_of=now, lang=lang))
