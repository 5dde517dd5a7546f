"""How the chair's appraisal looks: the phase's list, one unit's report in pages (each
criterion with «✏️ <short name>», its files «📎» beside it, «✅ Chấp nhận và sang đơn vị
tiếp theo ▶», «↩️ Trả lại»), and the questions, asked one at a time.

Pure rendering, as handlers/report/views.py; the buttons' callback data comes from
bot.services.review.callbacks. Who may change a report is bot.services.review.appraiser's
rule: the chair's own unit's report shows who appraises it instead of the tools.
"""

from __future__ import annotations

import html

from bot.buttons import Button, Buttons, keyboard, rows
from bot.formatting import format_datetime, format_points
from bot.outbox.split import visible_length
from bot.services.ranking.scoreboard import UnitResult
from bot.services.reports.entry import ReportView
from bot.services.reports.pages import review_pages, short_name
from bot.services.review import callbacks
from bot.services.review.appraiser import Appraiser, appraisers_of, may_appraise
from bot.services.review.phase import Overview
from bot.services.scoring import scored
from bot.texts import Html
from handlers.report.views import (
    PHONE_CHARS,
    PHONE_LINES,
    PREVIEW_CHARS,
    T,
    example_points,
    fit_message,
    limit_text,
    shorten,
    show_value,
    state_text,
    whole_value,
)
from storage.records import Criterion

STATUS_MARKS = {"submitted": "📥", "late": "⏰", "appraised": "✅", "returned": "↩"}
# A page's titles are shortened step by step until the page fits a phone screen.
TITLE_LENGTHS = (80, 60, 44, 32)
EVIDENCE_PER_ROW = 4
REASON_CHARS = 80  # of the chair's reason, on the page (the unit is told it whole)


def _row(t: T, result: UnitResult, lang: str) -> str:
    score = result.score
    if result.report is None or result.status == "draft":
        figures = ""
    elif result.status == "appraised":
        figures = t("review-row-appraised", total=format_points(score.total, lang),
                    self_total=format_points(score.self_total, lang))
    else:
        figures = t("review-row-self", self_total=format_points(score.self_total, lang))
    return t("review-row", code=result.unit.code, unit=result.unit.name,
             state=Html(t(f"report-status-{result.status}")), figures=Html(figures))


def overview_text(t: T, overview: Overview, lang: str, head: str = "") -> str:
    phase = overview.phase
    tz = overview.board.tree.block.tz
    lines = ([head, ""] if head else []) + [
        t("review-title", phase=phase.name, due=format_datetime(phase.report_due, tz),
          k=overview.handed_in, n=len(overview.rows))]
    if overview.finished:
        lines.append(t("review-finished-mark"))
    lines.append("")
    lines += [_row(t, r, lang) for r in overview.rows]
    lines += ["", t("review-help")]
    return fit_message("\n".join(lines))


def overview_keyboard(t: T, overview: Overview) -> Buttons:
    buttons = [
        (f"{r.unit.code} {STATUS_MARKS[r.status]}", callbacks.open_unit(r.report.id))
        for r in overview.rows if r.report is not None and r.status in STATUS_MARKS
    ]
    lines = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    lines.append([(t("report-button-refresh"), callbacks.list_phase(overview.phase.id)),
                  (t("review-button-done"), callbacks.finish_phase(overview.phase.id))])
    return keyboard(lines)


def page_index_of(view: ReportView, criterion_id: int) -> int:
    """The page of the report that shows this criterion (0 if none does)."""
    pages = review_pages(view.criteria)
    return next((i for i, page in enumerate(pages) if any(c.id == criterion_id for c in page)),
                0)


def _item(t: T, view: ReportView, c: Criterion, lang: str, title_len: int) -> str:
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    shown = html.escape(show_value(t, c, stored, lang), quote=False)
    if stored is None:
        shown = t("report-page-empty", limit=Html(limit_text(t, view, c, lang)))
    elif c.kind == "score" and value is not None and value.self_points is not None:
        shown = t("review-item-self-score", points=format_points(value.self_points, lang))
    elif scored(c) and value is not None and value.self_points is not None:
        shown += t("review-item-self", points=format_points(value.self_points, lang))
    count = view.evidence_counts.get(c.id, 0)
    if count:
        shown += t("report-form-evidence", count=count)
    if scored(c) and value is not None and value.appraised_points is not None:
        shown += t("review-item-appraised", points=format_points(value.appraised_points, lang))
        if value.appraisal_reason:
            shown += t("review-item-reason", reason=shorten(value.appraisal_reason,
                                                            REASON_CHARS))
    return t("report-page-item", n=view.criteria.index(c) + 1,
             title=shorten(c.title, title_len), value=Html(shown))


def _who(t: T, view: ReportView) -> str:
    units = appraisers_of(view.tree, view.unit)
    names = ", ".join(u.name for u in units)
    if not units:
        return t("review-by-admin")
    return t("review-by-vice" if view.unit.role == "chair" else "review-by-chair", units=names)


def detail_text(t: T, view: ReportView, lang: str, head: str = "", page: int = 0,
                appraiser: Appraiser | None = None) -> str:
    """One page of a unit's report: the totals on top, its criteria, whose it is to judge."""
    report = view.report
    assert report is not None
    tz = view.tree.block.tz
    submitted = (t("review-detail-submitted", when=format_datetime(report.submitted_at, tz))
                 if report.submitted_at is not None else "")
    s = view.score
    top = ([head, ""] if head else []) + [
        t("review-detail-title", phase=view.phase.name, unit=view.unit.name,
          state=Html(state_text(t, view)), submitted=Html(submitted)),
        t("review-detail-totals", self_total=format_points(s.self_total, lang),
          total=format_points(s.total, lang))]
    if report.return_reason and report.state.value == "returned":
        top.append(t("report-form-returned", reason=shorten(report.return_reason, 160)))
    if not may_appraise(view.tree, view.unit, appraiser):
        top.append(t("review-own-unit", who=_who(t, view)))
    pages = review_pages(view.criteria)
    page = min(max(page, 0), len(pages) - 1)
    foot = [t("review-page-of", page=page + 1, pages=len(pages))] if len(pages) > 1 else []
    if not head and report.handed_in:
        foot.append(t("review-help-page"))
    text = ""
    for title_len in TITLE_LENGTHS:
        items: list[str] = []
        group: str | None = None
        for c in pages[page]:
            if c.group_name and c.group_name != group:
                items.append(t("report-form-group", group=c.group_name))
            group = c.group_name
            items.append(_item(t, view, c, lang, title_len))
        text = "\n".join(top + [""] + items + (["", *foot] if foot else []))
        if text.count("\n") >= PHONE_LINES:  # a long head on a full page: no blank lines
            text = "\n".join(line for line in text.split("\n") if line)
        if visible_length(text) <= PHONE_CHARS:
            break
    return fit_message(text, PHONE_CHARS)


def detail_keyboard(t: T, view: ReportView, page: int = 0,
                    appraiser: Appraiser | None = None) -> Buttons:
    report = view.report
    assert report is not None
    pages = review_pages(view.criteria)
    page = min(max(page, 0), len(pages) - 1)
    tools = report.handed_in and may_appraise(view.tree, view.unit, appraiser)
    lines: list[list[Button]] = []
    # The buttons that change the report carry the version this screen shows.
    if tools:
        lines += [[Button(f"✏️ {view.criteria.index(c) + 1}. {short_name(c)}",
                          callbacks.ask_points(report.id, c.id, report.version))]
                  for c in pages[page] if scored(c)]
    files = [Button(f"📎 {view.criteria.index(c) + 1} ({view.evidence_counts[c.id]})",
                    callbacks.send_evidence(report.id, c.id))
             for c in pages[page] if view.evidence_counts.get(c.id)]
    lines += [files[i:i + EVIDENCE_PER_ROW] for i in range(0, len(files), EVIDENCE_PER_ROW)]
    nav = []
    if page > 0:
        nav.append(Button("◀", callbacks.open_page(report.id, page - 1)))
    if page + 1 < len(pages):
        nav.append(Button("▶", callbacks.open_page(report.id, page + 1)))
    lines.append(nav)
    if tools:
        lines.append([Button(t("review-button-accept"),
                             callbacks.accept(report.id, report.version))])
        lines.append([Button(t("review-button-return"),
                             callbacks.ask_return(report.id, report.version)),
                      Button(t("review-button-list"), callbacks.list_phase(view.phase.id))])
    else:
        lines.append([Button(t("review-button-list"), callbacks.list_phase(view.phase.id))])
    return rows(*lines)


def points_prompt(t: T, view: ReportView, c: Criterion, lang: str) -> str:
    """The question for one criterion, headed by the unit: the chair may have several
    reports open and must never lower the wrong unit's score."""
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    self_points = value.self_points if value and value.self_points is not None else 0
    key = "review-ask-points-penalty" if c.penalty else "review-ask-points"
    text = t(key, unit=view.unit.name, phase=view.phase.name, n=view.criteria.index(c) + 1,
             title=c.title, value=show_value(t, c, stored, lang),
             self_points=format_points(self_points, lang),
             max=format_points(c.max_points, lang),
             example=format_points(example_points(c.max_points), lang))
    if _clipped_narrative(c, stored):
        text += "\n" + t("report-value-clipped")
    return fit_message(text, PHONE_CHARS)


def points_placeholder(t: T, c: Criterion, lang: str) -> str:
    return t("review-placeholder-points", max=format_points(c.max_points, lang))[:64]


def _clipped_narrative(c: Criterion, stored: str | None) -> bool:
    return c.kind == "text" and stored is not None and shorten(stored, PREVIEW_CHARS) != stored


def narrative_in_full(t: T, view: ReportView, c: Criterion) -> list[str]:
    """The messages with the narrative points_prompt could only preview ("xem đầy đủ"),
    sent before it, so the chair reads what they appraise; none for other values."""
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    if stored is None or not _clipped_narrative(c, stored):
        return []
    return whole_value(t, c, stored)
