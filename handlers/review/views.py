"""How the chair's appraisal looks: the phase overview, one unit's report, the questions.

Pure rendering, as handlers/report/views.py; the buttons' callback data comes from
bot.services.review.callbacks."""

from __future__ import annotations

from bot.buttons import Buttons, keyboard
from bot.formatting import format_datetime, format_points
from bot.outbox.split import fits
from bot.services.ranking.scoreboard import UnitResult
from bot.services.reports.entry import ReportView
from bot.services.review import callbacks
from bot.services.review.phase import Overview
from bot.services.scoring import scored
from bot.texts import Html
from handlers.report.views import (
    BUTTONS_PER_ROW,
    MAX_MESSAGE,
    PREVIEW_CHARS,
    TITLE_LENGTHS,
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
# A narrative answer is shown in full up to this length in the chair's view.
TEXT_PREVIEW = 300


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


def overview_text(t: T, overview: Overview, lang: str) -> str:
    phase = overview.phase
    tz = overview.board.tree.block.tz
    lines = [t("review-title", phase=phase.name, due=format_datetime(phase.report_due, tz),
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
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    rows.append([(t("report-button-refresh"), callbacks.list_phase(overview.phase.id)),
                 (t("review-button-done"), callbacks.finish_phase(overview.phase.id))])
    return keyboard(rows)


def _item(t: T, view: ReportView, n: int, c: Criterion, lang: str, title_len: int) -> str:
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    shown = shorten(stored, TEXT_PREVIEW) if c.kind == "text" and stored else show_value(
        t, c, stored, lang)
    self_points = value.self_points if value and value.self_points is not None else None
    title = shorten(c.title, title_len) if title_len else ""
    limit = Html(limit_text(t, view, c, lang))
    if not scored(c):
        # "không tính điểm": the figure is for the record, there are no points to appraise.
        line = t("review-item-unscored", n=n, code=c.code, title=title, limit=limit,
                 value=shown)
    else:
        line = t("review-item", n=n, code=c.code, title=title, limit=limit, value=shown,
                 points=format_points(self_points, lang) if self_points is not None else "—")
    count = view.evidence_counts.get(c.id, 0)
    if count:
        line += t("report-form-evidence", count=count)
    if scored(c) and value is not None and value.appraised_points is not None:
        line += t("review-item-appraised", points=format_points(value.appraised_points, lang))
        if value.appraisal_reason:
            line += t("review-item-reason",
                      reason=shorten(value.appraisal_reason, PREVIEW_CHARS))
    return line


def detail_text(t: T, view: ReportView, lang: str, head: str = "") -> str:
    report = view.report
    assert report is not None
    tz = view.tree.block.tz
    top = [head, ""] if head else []
    top.append(t("review-detail-title", phase=view.phase.name, unit=view.unit.name,
                 code=view.unit.code, state=Html(state_text(t, view))))
    if report.submitted_at is not None:
        top.append(t("review-detail-submitted", when=format_datetime(report.submitted_at, tz)))
    if report.return_reason and report.state.value == "returned":
        top.append(t("report-form-returned", reason=report.return_reason))
    s = view.score
    foot = t("review-detail-total", self_total=format_points(s.self_total, lang),
             total=format_points(s.total, lang))
    text = ""
    for title_len in TITLE_LENGTHS:
        items = [_item(t, view, n, c, lang, title_len)
                 for n, c in enumerate(view.criteria, start=1)]
        text = "\n".join(top) + "\n\n" + "\n".join(items) + "\n\n" + foot
        if fits(text, MAX_MESSAGE):
            return text
    return fit_message(text)


def detail_keyboard(t: T, view: ReportView) -> Buttons:
    report = view.report
    assert report is not None
    rows: list[list[tuple[str, str]]] = []
    # The buttons that change the report carry the version this screen shows.
    if report.handed_in:
        buttons = [(f"✏️ {n}", callbacks.ask_points(report.id, c.id, report.version))
                   for n, c in enumerate(view.criteria, start=1) if scored(c)]
        rows += [buttons[i:i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    files = sum(view.evidence_counts.values())
    if files:
        label = t("review-button-evidence", count=files)
        rows.append([(label, callbacks.send_evidence(report.id))])
    if report.handed_in:
        rows.append([(t("review-button-accept"), callbacks.accept(report.id, report.version)),
                     (t("review-button-return"),
                      callbacks.ask_return(report.id, report.version))])
    rows.append([(t("review-button-list"), callbacks.list_phase(view.phase.id))])
    return keyboard(rows)


def points_prompt(t: T, view: ReportView, c: Criterion, lang: str) -> str:
    """The question for one criterion, headed by the unit: the chair may have several
    reports open and must never lower the wrong unit's score."""
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    self_points = value.self_points if value and value.self_points is not None else 0
    key = "review-ask-points-penalty" if c.penalty else "review-ask-points"
    head = t("review-ask-unit", phase=view.phase.name, unit=view.unit.name, code=view.unit.code)
    text = head + "\n\n" + t(
        key, n=view.criteria.index(c) + 1, title=c.title, code=c.code,
        value=show_value(t, c, stored, lang), self_points=format_points(self_points, lang),
        max=format_points(c.max_points, lang),
        example=format_points(example_points(c.max_points), lang),
    )
    if _clipped_narrative(c, stored):
        text += "\n" + t("report-value-clipped")
    return fit_message(text)


def _clipped_narrative(c: Criterion, stored: str | None) -> bool:
    return c.kind == "text" and stored is not None and shorten(stored, PREVIEW_CHARS) != stored


def narrative_in_full(t: T, view: ReportView, c: Criterion) -> list[str]:
    """The messages with the narrative points_prompt could only preview ("xem đầy đủ"),
    so the chair reads what they appraise; none for other values."""
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    if stored is None or not _clipped_narrative(c, stored):
        return []
    return whole_value(t, c, stored)


def back_keyboard(t: T, report_id: int) -> Buttons:
    return keyboard([[(t("report-button-back"), callbacks.open_unit(report_id))]])
