"""Pieces every screen of the report and the review shares: a value as the unit wrote it,
how a criterion is scored, the report's state, a long value in full.

Pure rendering: catalog texts in, HTML out. `t` renders a catalog key in the caller's
language, `lang` formats figures the local way. The form's screens are in form.py, a
criterion's question in question.py, submitting in submit.py.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.formatting import echo, format_number, format_points
from bot.outbox.split import TEXT_LIMIT, clip_html, split_text
from bot.services.reports.entry import ReportView
from bot.services.scoring import NO, YES, effective_target
from bot.services.values import BadValue, Problem
from storage.records import Criterion
from storage.reports.records import ReportState

T = Callable[..., str]

# Telegram's limit on a message (Bot API sendMessage: 1-4096 characters, in UTF-16 units).
MAX_MESSAGE = TEXT_LIMIT
# A screen people read on a phone (issue 18): at most this many lines and characters.
PHONE_LINES = 20
PHONE_CHARS = 1000
PREVIEW_CHARS = 60  # a narrative answer is previewed, not repeated, on a page


def example_points(maximum: Decimal) -> Decimal:
    """A figure for the prompt's example that the criterion accepts: half a point under its
    maximum (4,5 for 5, 9,5 for 10), which also shows that decimals are allowed."""
    half = Decimal("0.5")
    return maximum - half if maximum >= 1 else maximum / 2


def fit_message(markup: str, limit: int = MAX_MESSAGE) -> str:
    """Cut rendered HTML to `limit` visible characters without breaking a tag (the limit
    counts the visible text, as Telegram does)."""
    return clip_html(markup, limit)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def show_value(t: T, criterion: Criterion, stored: str | None, lang: str,
               preview: int | None = PREVIEW_CHARS) -> str:
    """A stored value as the unit wrote it: '1.833.468.000 đồng', '87,5%', 'Có'; a
    narrative shortened to `preview` characters (None: whole).

    Plain text (pass it as a catalog parameter, which escapes it): the catalog texts used
    here carry no markup, and a narrative or a unit of measure is the user's own text.
    """
    if stored is None:
        return t("report-value-empty")
    if criterion.kind == "yesno":
        return t("report-yes") if stored == YES else t("report-no") if stored == NO else stored
    if criterion.kind == "text":
        return stored if preview is None else shorten(stored, preview)
    number = format_number(Decimal(stored), lang)
    if criterion.kind == "percent":
        return f"{number}%"
    if criterion.kind == "score":
        return t("report-points", points=number)
    return f"{number} {criterion.measure}" if criterion.measure else number


def target_text(view: ReportView, criterion: Criterion, lang: str) -> str | None:
    """The unit's target for a measured criterion ('200.000.000 đồng', '90%'), if any."""
    target = effective_target(criterion, view.targets.get(criterion.code))
    if criterion.kind not in ("number", "percent") or target is None:
        return None
    shown = format_number(target, lang) + ("%" if criterion.kind == "percent" else "")
    if criterion.kind == "number" and criterion.measure:
        shown += f" {criterion.measure}"
    return shown


def limit_text(t: T, view: ReportView, criterion: Criterion, lang: str) -> str:
    """'tối đa 10 điểm, chỉ tiêu 200.000.000 đồng' and the like (rendered HTML)."""
    points = format_points(criterion.max_points, lang)
    key = ("report-limit-bonus" if criterion.bonus else
           "report-limit-penalty" if criterion.penalty else
           "report-limit-none" if criterion.max_points == 0 else "report-limit-max")
    text = t(key, max=points)
    target = target_text(view, criterion, lang)
    if target is not None:
        text += t("report-limit-target", target=target)
    return text


def state_text(t: T, view: ReportView) -> str:
    """The report's state in words (rendered HTML)."""
    report = view.report
    if report is not None and report.late and report.state is not ReportState.DRAFT:
        return t(f"report-state-{report.state.value}") + t("report-late-mark")
    return t(f"report-state-{view.state.value}")


def whole_value(t: T, c: Criterion, stored: str) -> list[str]:
    """A long value in full, headed by its criterion, in as many messages as it takes."""
    head = t("report-value-full", title=shorten(c.title, 160))
    return split_text(head + "\n\n" + html.escape(stored, quote=False), MAX_MESSAGE)


def bad_value_text(t: T, c: Criterion, bad: BadValue, lang: str) -> str:
    params: dict[str, Any] = {"title": c.title}
    if bad.limit is not None:
        params["limit"] = format_number(Decimal(bad.limit), lang)
    text = t(f"report-bad-{bad.problem.value}", **params)
    if bad.problem is Problem.NOT_A_NUMBER and bad.suggestion:
        text += t("report-bad-suggestion", suggestion=echo(bad.suggestion))
    return text
