"""Submitting, as the unit sees it: what is still missing, the summary to confirm, and the
record of every value as submitted (long narratives whole, over as many messages as they
take, never cut).

Pure rendering, as views.py.
"""

from __future__ import annotations

from bot.buttons import Buttons, keyboard
from bot.formatting import format_datetime, format_deadline, format_points
from bot.outbox.split import split_text, visible_length
from bot.services.reports import callbacks
from bot.services.reports.entry import ReportView
from bot.services.reports.pages import short_name
from bot.texts import Html
from handlers.report.views import PHONE_CHARS, PHONE_LINES, T, fit_message, show_value
from storage.records import Criterion

# Missing criteria named on the refusal; the overview under it counts the rest by group.
MISSING_NAMED = 5


def missing_text(t: T, view: ReportView) -> str:
    missing = view.missing
    lines = [t("report-submit-missing", count=len(missing))]
    for c in missing[:MISSING_NAMED]:
        lines.append(t("report-submit-missing-item", n=view.criteria.index(c) + 1,
                       title=short_name(c)))
    if len(missing) > MISSING_NAMED:
        lines.append(t("report-submit-missing-more", count=len(missing) - MISSING_NAMED))
    return "\n".join(lines)


def summary_text(t: T, view: ReportView, late: bool, lang: str) -> str:
    s = view.score
    lines = [t("report-confirm-title", phase=view.phase.name, unit=view.unit.name),
             t("report-confirm-total", total=format_points(s.self_total, lang),
               base=format_points(s.base, lang), bonus=format_points(s.bonus, lang),
               penalty=format_points(s.penalty, lang))]
    if late:
        lines.append(t("report-confirm-late",
                       due=format_deadline(view.phase.report_due, view.tree.block.tz, lang)))
    lines.append(t("report-confirm-lock"))
    return fit_message("\n".join(lines), PHONE_CHARS)


def confirm_keyboard(t: T, view: ReportView) -> Buttons:
    return keyboard([[(t("report-button-confirm"), callbacks.confirm_submit(view.phase.id)),
                      (t("report-button-back"), callbacks.open_report(view.phase.id))]])


def record(t: T, view: ReportView, lang: str) -> list[str]:
    """Every value of the report in full, group by group, with the points and files: the
    unit's record of what it submitted, in as many phone screens as it takes (a long
    narrative runs over several)."""
    report = view.report
    tz = view.tree.block.tz
    head = [t("report-record-title", phase=view.phase.name, unit=view.unit.name)]
    if report is not None and report.submitted_at is not None:
        head.append(t("report-record-submitted",
                      when=format_datetime(report.submitted_at, tz, lang)))
    s = view.score
    head.append(t("report-confirm-total", total=format_points(s.self_total, lang),
                  base=format_points(s.base, lang), bonus=format_points(s.bonus, lang),
                  penalty=format_points(s.penalty, lang)))
    blocks = ["\n".join(head)]
    group: str | None = None
    for n, c in enumerate(view.criteria, start=1):
        item = _record_item(t, view, n, c, lang)
        if c.group_name != group or len(blocks) == 1:
            heading = [t("report-form-group", group=c.group_name)] if c.group_name else []
            blocks.append("\n".join([*heading, item]))
        else:
            blocks[-1] += "\n" + item
        group = c.group_name
    return screens(blocks)


def _record_item(t: T, view: ReportView, n: int, c: Criterion, lang: str) -> str:
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    points = ""
    if value is not None and value.self_points is not None and stored and c.kind not in (
            "score", "text"):
        points = t("report-form-points", points=format_points(value.self_points, lang))
    count = view.evidence_counts.get(c.id, 0)
    files = t("report-form-evidence", count=count) if count else ""
    key = "report-record-text" if c.kind == "text" and stored else "report-record-item"
    return t(key, n=n, title=c.title, value=show_value(t, c, stored, lang, None),
             points=Html(points), files=Html(files))


def screens(blocks: list[str]) -> list[str]:
    """Blocks of HTML (a group of lines each) put into messages of one phone screen each (at
    most PHONE_LINES lines and PHONE_CHARS characters), a block too big for one cut where
    it reads best (bot.outbox.split)."""
    pieces: list[str] = []
    for block in blocks:
        lines = block.split("\n")
        for start in range(0, len(lines), PHONE_LINES):
            pieces += split_text("\n".join(lines[start:start + PHONE_LINES]), PHONE_CHARS)
    messages: list[str] = []
    for piece in pieces:
        joined = messages[-1] + "\n" + piece if messages else piece
        if messages and visible_length(joined) <= PHONE_CHARS and \
                joined.count("\n") < PHONE_LINES:
            messages[-1] = joined
        else:
            messages.append(piece)
    return messages
