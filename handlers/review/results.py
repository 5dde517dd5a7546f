"""What the chair reads after typing or pressing on the appraisal: the problem to fix
and type again, the decision that overtook a stale screen, or what was done.

Pure rendering of bot.services.review's ReviewResult, as views.py renders the screens.
"""

from __future__ import annotations

from decimal import Decimal

from bot.formatting import format_points
from bot.services.reports.pages import short_name
from bot.services.review.appraisal import Review, ReviewResult
from handlers.decided import T, told
from handlers.report.views import example_points
from handlers.review.views import points_placeholder


def retry_text(t: T, result: ReviewResult, lang: str) -> str:
    """A problem the chair fixes by typing again (the question stays open). Points that
    need a reason are kept: the chair is asked for the reason alone."""
    criterion = result.criterion
    if result.outcome is Review.REASON_REQUIRED and criterion is not None:
        value = result.view.values.get(criterion.id) if result.view else None
        claimed = value.self_points if value and value.self_points is not None else Decimal(0)
        key = "review-reason-required-penalty" if criterion.penalty else "review-reason-required"
        return t(key, title=criterion.title, points=format_points(result.points or 0, lang),
                 self_points=format_points(claimed, lang))
    maximum = criterion.max_points if criterion else Decimal(10)
    return t(f"review-{result.outcome.value}", limit=format_points(result.limit or 0, lang),
             example=format_points(example_points(maximum), lang))


_STALE_KEYS = {"submitted": "review-stale-submitted", "accepted": "review-stale-accepted",
               "returned": "review-stale-returned", "points": "review-stale-points"}


def stale_text(t: T, result: ReviewResult) -> str:
    """Nothing was changed: the report changed after the chair's screen showed it; who did
    what, and when. The current report follows (the caller shows it)."""
    decision, view = result.decision, result.view
    if decision is None or view is None or decision.what not in _STALE_KEYS:
        return t("review-stale", decision=t("review-stale-unknown"))
    what = told(t, _STALE_KEYS[decision.what], decision, view.tree.block.tz,
                title=decision.detail or "")
    return t("review-stale", decision=what)


def done_text(t: T, result: ReviewResult, done_key: str, lang: str) -> str:
    """The head of the report screen after a change (points, accept, return)."""
    view = result.view
    assert view is not None
    return t(
        done_key, phase=view.phase.name, unit=view.unit.name,
        title=short_name(result.criterion) if result.criterion else "",
        points=format_points(result.points or 0, lang),
        total=format_points(view.score.total, lang),
        self_total=format_points(view.score.self_total, lang),
    )


def retry_placeholder(t: T, result: ReviewResult, lang: str) -> str:
    """What the input field shows when the question is asked again: the reason, or points."""
    if result.outcome in (Review.REASON_REQUIRED, Review.REASON_TOO_LONG):
        key = "review-placeholder-return" if result.criterion is None else (
            "review-placeholder-reason")
        return t(key)
    if result.criterion is None:
        return t("review-placeholder-return")
    return points_placeholder(t, result.criterion, lang)
