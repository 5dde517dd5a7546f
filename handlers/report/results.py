"""How /myreport looks: each phase's state and points, what the chair changed and why, and
the year's total."""

from __future__ import annotations

from bot.formatting import format_points
from bot.services.reports.my_results import Adjustment, MyResults
from bot.texts import Html
from handlers.report.views import T, shorten
from storage.records import Block, Unit

# Titles stay readable in a message that lists every phase.
CHANGE_TITLE_CHARS = 80


def _change(t: T, item: Adjustment, lang: str) -> str:
    c = item.criterion
    key = "myreport-change-penalty" if c.penalty else "myreport-change"
    line = t(key, title=shorten(c.title, CHANGE_TITLE_CHARS),
             self_points=format_points(item.self_points, lang),
             points=format_points(item.appraised_points, lang))
    if item.reason:
        line += t("review-item-reason", reason=item.reason)
    return line


def myreport_text(t: T, results: MyResults, block: Block, unit: Unit, lang: str) -> str:
    board = results.board
    parts = [t("myreport-title", unit=unit.name, block=block.name)]
    for phase in board.phases:
        result = board.of(unit.id, phase.id)
        score = result.score
        # The chair's adjustments count as soon as they are made (scoring rule); until the
        # appraisal is finished the unit sees them marked as in progress.
        changes = results.adjustments.get(phase.id, ())
        if result.status == "appraised" or not score.provisional:
            appraised = t("myreport-appraised", total=format_points(score.total, lang))
        elif any(s.appraised for s in score.criteria):
            appraised = t("myreport-appraising", total=format_points(score.total, lang))
        else:
            appraised, changes = t("myreport-not-appraised"), ()
        lines = [t("myreport-phase", phase=phase.name,
                   state=Html(t(f"report-status-{result.status}")),
                   self_total=format_points(score.self_total, lang), appraised=Html(appraised))]
        if changes:
            lines.append(t("myreport-changes"))
            lines += [_change(t, item, lang) for item in changes]
        parts.append("\n".join(lines))
    year = board.year(unit.id)
    key = "myreport-year-provisional" if year.provisional else "myreport-year"
    parts.append(t(key, total=format_points(year.total, lang)))
    return "\n\n".join(parts)
