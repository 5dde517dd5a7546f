"""A criterion's own screen: one question. A typed value is asked with a ForceReply prompt
(the phone opens the keyboard on it, with a placeholder saying what to type); a yes/no
criterion shows its two buttons instead. A narrative too long for the screen goes whole in
messages of its own, before the question.

Pure rendering, as views.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.buttons import Buttons, keyboard
from bot.formatting import clip, format_points
from bot.services.reports import callbacks
from bot.services.reports.entry import ReportView
from bot.services.reports.pages import form_pages, page_of
from handlers.report.views import (
    PHONE_CHARS,
    T,
    example_points,
    fit_message,
    limit_text,
    show_value,
    whole_value,
)
from storage.records import Criterion

# A narrative shows this much (UTF-16 units) on its question; the whole of it goes before.
NARRATIVE_ON_SCREEN = 300
# Bot API ForceReply.input_field_placeholder: 1-64 characters.
PLACEHOLDER_MAX = 64


@dataclass(frozen=True)
class Question:
    text: str
    placeholder: str | None  # a typed answer: asked with ForceReply and this placeholder
    buttons: Buttons  # a yes/no answer: the buttons (the question replaces the page)
    before: tuple[str, ...] = ()  # the current narrative in full, when the screen clips it


def _current(t: T, view: ReportView, c: Criterion, lang: str) -> tuple[str, bool]:
    """The current value as the question shows it, and whether it was clipped."""
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    if c.kind == "text" and stored:
        shown = clip(stored, NARRATIVE_ON_SCREEN)
        return t("report-ask-current-text", value=shown), shown != stored
    return t("report-ask-current", value=show_value(t, c, stored, lang)), False


def question(t: T, view: ReportView, c: Criterion, lang: str) -> Question:
    """What the screen of criterion `c` asks, and how."""
    n = view.criteria.index(c) + 1
    current, clipped = _current(t, view, c, lang)
    lines = [t("report-ask-title", n=n, title=c.title),
             t("report-ask-limit", limit=limit_text(t, view, c, lang)),
             current + t("report-ask-evidence-count", count=view.evidence_counts.get(c.id, 0))]
    if clipped:
        lines.append(t("report-value-clipped"))
    params = {"max": format_points(c.max_points, lang),
              "example": format_points(example_points(c.max_points), lang)}
    if c.id in view.from_attendance:  # filled by a joint activity's attendance: no input
        lines += ["", t("report-ask-from-attendance", activities=view.from_attendance[c.id])]
        page = page_of(form_pages(view.criteria), c.id)
        back = (callbacks.open_page(view.phase.id, page.index) if page is not None
                else callbacks.open_report(view.phase.id))
        return Question(fit_message("\n".join(lines), PHONE_CHARS), None,
                        keyboard([[(t("report-button-back"), back)]]), ())
    lines += ["", t(f"report-ask-{c.kind}", **params), t("report-ask-evidence")]
    text = fit_message("\n".join(lines), PHONE_CHARS)
    value = view.values.get(c.id)
    before = tuple(whole_value(t, c, value.self_value)) if clipped and value and \
        value.self_value else ()
    if c.kind != "yesno":
        placeholder = t(f"report-placeholder-{c.kind}", **params)[:PLACEHOLDER_MAX]
        return Question(text, placeholder, (), before)
    page = page_of(form_pages(view.criteria), c.id)
    back = (callbacks.open_page(view.phase.id, page.index) if page is not None
            else callbacks.open_report(view.phase.id))
    buttons = keyboard([
        [(t("report-yes"), callbacks.answer_yesno(view.phase.id, c.id, True)),
         (t("report-no"), callbacks.answer_yesno(view.phase.id, c.id, False))],
        [(t("report-button-back"), back)],
    ])
    return Question(text, None, buttons, before)


def retry_placeholder(t: T, c: Criterion, lang: str) -> str:
    """The placeholder of the question asked again after a value that could not be read."""
    params = {"max": format_points(c.max_points, lang),
              "example": format_points(example_points(c.max_points), lang)}
    return t(f"report-placeholder-{c.kind}", **params)[:PLACEHOLDER_MAX]
