"""The report form as a phone shows it: a short overview (group by group, the total so far,
the deadline) with one button per page, and each page (a criterion group) with its
criteria, their values and a button each; «◀ ▶» between pages, «📤 Nộp báo cáo» on both.

Pure rendering, as views.py. Criteria are named, never coded: their codes stay valid in
typed `CODE: value` lines. Every screen keeps to PHONE_LINES and PHONE_CHARS for a table of
fifteen criteria (tests/reports/test_form_fits_a_phone.py).
"""

from __future__ import annotations

import html

from bot.buttons import Button, Buttons, rows
from bot.formatting import format_deadline, format_points
from bot.outbox.split import visible_length
from bot.services.report_excel import callbacks as excel_callbacks
from bot.services.reports import callbacks
from bot.services.reports.entry import ReportView
from bot.services.reports.pages import Page, form_pages, progress, short_name
from bot.services.reports.submission import will_be_late
from bot.texts import Html
from handlers.report.views import (
    PHONE_CHARS,
    T,
    fit_message,
    limit_text,
    shorten,
    show_value,
    state_text,
)
from storage.records import Criterion
from storage.reports.records import ReportState

# A page's titles are shortened step by step until the page fits a phone screen.
TITLE_LENGTHS = (90, 70, 50, 36)
# How much of a return reason the overview repeats (the unit's notice has it whole).
REASON_CHARS = 160
# A page's or a group's name on its button.
GROUP_LABEL = 32


def page_title(t: T, page: Page) -> str:
    """A page's name: its group ("II. Phong trào thi đua (1/2)") or its criteria's numbers."""
    if page.group is None:
        last = page.first + len(page.criteria) - 1
        return t("report-page-numbers", first=page.first, last=last)
    if page.parts > 1:
        return t("report-page-part", group=page.group, part=page.part, parts=page.parts)
    return page.group


def _head(t: T, view: ReportView, lang: str) -> list[str]:
    tz = view.tree.block.tz
    lines = [t("report-form-title", phase=view.phase.name, unit=view.unit.name),
             t("report-form-state", state=Html(state_text(t, view)),
               due=format_deadline(view.phase.report_due, tz, lang))]
    report = view.report
    if report is not None and report.state is ReportState.RETURNED and report.return_reason:
        lines.append(t("report-form-returned", reason=shorten(report.return_reason,
                                                                REASON_CHARS)))
    if view.late_refused:
        lines.append(t("report-form-late-refused"))
    elif view.past_due and view.editable and will_be_late(view):
        # Not for a report the chair returned: lateness was settled at its first submission.
        lines.append(t("report-form-past-due"))
    return lines


def _mark(page: Page, view: ReportView) -> str:
    done = progress(page, view.values)
    if page.optional:
        return "➖" if all(c.penalty for c in page.criteria) else "➕"
    return "✅" if done.done else "✏️" if done.filled else "⬜"


def _group_line(t: T, page: Page, view: ReportView, lang: str) -> str:
    done = progress(page, view.values)
    points = (t("report-overview-points", points=format_points(done.points, lang))
              if done.filled else "")
    key = "report-overview-optional" if page.optional and not done.filled else (
        "report-overview-group")
    return t(key, mark=_mark(page, view), group=page_title(t, page), filled=done.filled,
             total=done.total, points=Html(points))


def overview_text(t: T, view: ReportView, lang: str, head: str = "") -> str:
    """The form's first screen: where each group stands and what is left."""
    pages = form_pages(view.criteria)
    lines = ([head, ""] if head else []) + _head(t, view, lang) + [""]
    lines += [_group_line(t, p, view, lang) for p in pages]
    lines.append("")
    score = view.score
    total = t("report-overview-total", total=format_points(score.self_total, lang))
    if view.editable:
        missing = len(view.missing)
        total += (t("report-overview-missing", count=missing) if missing
                  else t("report-overview-ready"))
    lines.append(total)
    if view.state is ReportState.APPRAISED:
        lines.append(t("report-form-appraised-total", total=format_points(score.total, lang)))
    if view.editable:
        lines.append(t("report-overview-hint"))
    elif view.state in (ReportState.SUBMITTED, ReportState.APPRAISED):
        lines.append(t("report-form-locked"))
    return fit_message("\n".join(lines), PHONE_CHARS)


def overview_extra_buttons(t: T, view: ReportView) -> list[Button]:
    """More buttons under the overview, one row: the place for another way of filling the
    report (issue 23's «📥 Mẫu Excel» goes here)."""
    excel = [Button(t("report-excel-button"), excel_callbacks.send_template(view.phase.id))]
    return [Button(t("report-button-values"), callbacks.show_values(view.phase.id)),
            *(excel if view.editable else [])]


def overview_keyboard(t: T, view: ReportView) -> Buttons:
    phase = view.phase.id
    pages = form_pages(view.criteria)
    lines: list[list[Button]] = []
    for page in pages:
        done = progress(page, view.values)
        label = shorten(page_title(t, page), GROUP_LABEL)
        label += " ✓" if done.done or (page.optional and done.filled) else (
            f" · {done.filled}/{done.total}" if done.filled else "")
        lines.append([Button(label, callbacks.open_page(phase, page.index))])
    if view.editable:
        lines.append([Button(t("report-button-submit"), callbacks.preview_submit(phase))])
    lines.append([*overview_extra_buttons(t, view),
                  Button(t("report-button-refresh"), callbacks.open_report(phase))])
    return rows(*lines)


def _value_line(t: T, view: ReportView, c: Criterion, lang: str) -> str:
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    if stored is None:
        shown = t("report-page-empty", limit=Html(limit_text(t, view, c, lang)))
    else:
        shown = html.escape(show_value(t, c, stored, lang), quote=False)
        if value is not None and value.self_points is not None and c.kind not in (
                "score", "text"):
            shown += t("report-form-points", points=format_points(value.self_points, lang))
        if c.id in view.from_attendance:  # filled by a joint activity's attendance
            shown += t("report-form-from-attendance")
    count = view.evidence_counts.get(c.id, 0)
    if count:
        shown += t("report-form-evidence", count=count)
    return shown


def page_text(t: T, view: ReportView, page: Page, lang: str, head: str = "") -> str:
    """One page: its criteria with their values; titles shrink until it fits."""
    top = ([head, ""] if head else []) + [
        t("report-page-title", group=page_title(t, page), phase=view.phase.name,
          unit=view.unit.name), ""]
    hint = t("report-page-hint") if view.editable else t("report-form-locked")
    text = ""
    for title_len in TITLE_LENGTHS:
        items = [t("report-page-item", n=page.number_of(c), title=shorten(c.title, title_len),
                   value=Html(_value_line(t, view, c, lang)))
                 for c in page.criteria]
        text = "\n".join(top + items + ["", hint])
        if visible_length(text) <= PHONE_CHARS:
            break
    return fit_message(text, PHONE_CHARS)


def page_keyboard(t: T, view: ReportView, page: Page) -> Buttons:
    phase = view.phase.id
    lines: list[list[Button]] = []
    if view.editable:
        for c in page.criteria:
            value = view.values.get(c.id)
            mark = " ✓" if value is not None and value.filled else ""
            label = f"{page.number_of(c)}. {short_name(c)}{mark}"
            lines.append([Button(label, callbacks.choose_criterion(phase, c.id))])
    count = len(form_pages(view.criteria))
    nav = []
    if page.index > 0:
        nav.append(Button("◀", callbacks.open_page(phase, page.index - 1)))
    nav.append(Button(t("report-button-overview"), callbacks.open_report(phase)))
    if page.index + 1 < count:
        nav.append(Button("▶", callbacks.open_page(phase, page.index + 1)))
    lines.append(nav)
    if view.editable:
        lines.append([Button(t("report-button-submit"), callbacks.preview_submit(phase))])
    return rows(*lines)
