"""How a report looks in Telegram: the form, a criterion's question, the submit summary.

Pure rendering: catalog texts in, (HTML text, buttons) out. `t` renders a catalog key in
the caller's language, `lang` formats figures the local way. The buttons' callback data
comes from bot.services.reports.callbacks.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.buttons import Buttons, keyboard
from bot.formatting import clip, echo, format_datetime, format_number, format_points
from bot.outbox.split import TEXT_LIMIT, clip_html, fits, split_text
from bot.services.reports import callbacks
from bot.services.reports.entry import ReportView
from bot.services.reports.submission import will_be_late
from bot.services.scoring import NO, YES, effective_target
from bot.services.values import BadValue, Problem
from bot.texts import Html
from storage.records import Criterion
from storage.reports.records import ReportState

T = Callable[..., str]

# Telegram's limit on a message (Bot API sendMessage: 1-4096 characters, in UTF-16 units).
MAX_MESSAGE = TEXT_LIMIT
# Titles are shortened step by step until a 40-criterion form fits in one message.
TITLE_LENGTHS = (160, 80, 40, 0)
BUTTONS_PER_ROW = 5
PREVIEW_CHARS = 60  # a narrative answer is previewed, not repeated, in the form
# A narrative too long for its criterion's screen shows this much (UTF-16 units) there;
# the whole of it follows in a message of its own (full_text).
NARRATIVE_ON_SCREEN = 1000


def example_points(maximum: Decimal) -> Decimal:
    """A figure for the prompt's example that the criterion accepts: half a point under its
    maximum (4,5 for 5, 9,5 for 10), which also shows that decimals are allowed."""
    half = Decimal("0.5")
    return maximum - half if maximum >= 1 else maximum / 2


def fit_message(markup: str) -> str:
    """Cut rendered HTML to one Telegram message without breaking a tag (the limit counts
    the visible text, as Telegram does)."""
    return clip_html(markup, MAX_MESSAGE)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def show_value(t: T, criterion: Criterion, stored: str | None, lang: str) -> str:
    """A stored value as the unit wrote it: '1.833.468.000 đồng', '87,5%', 'Có'.

    Plain text (pass it as a catalog parameter, which escapes it): the catalog texts used
    here carry no markup, and a narrative or a unit of measure is the user's own text.
    """
    if stored is None:
        return t("report-value-empty")
    if criterion.kind == "yesno":
        return t("report-yes") if stored == YES else t("report-no") if stored == NO else stored
    if criterion.kind == "text":
        return shorten(stored, PREVIEW_CHARS)
    number = format_number(Decimal(stored), lang)
    if criterion.kind == "percent":
        return f"{number}%"
    if criterion.kind == "score":
        return t("report-points", points=number)
    return f"{number} {criterion.measure}" if criterion.measure else number


def limit_text(t: T, view: ReportView, criterion: Criterion, lang: str) -> str:
    """'tối đa 10 điểm, chỉ tiêu 200.000.000 đồng' and the like (rendered HTML)."""
    points = format_points(criterion.max_points, lang)
    key = ("report-limit-bonus" if criterion.bonus else
           "report-limit-penalty" if criterion.penalty else
           "report-limit-none" if criterion.max_points == 0 else "report-limit-max")
    text = t(key, max=points)
    target = effective_target(criterion, view.targets.get(criterion.code))
    if criterion.kind in ("number", "percent") and target is not None:
        shown = format_number(target, lang) + ("%" if criterion.kind == "percent" else "")
        if criterion.kind == "number" and criterion.measure:
            shown += f" {criterion.measure}"
        text += t("report-limit-target", target=shown)
    return text


def state_text(t: T, view: ReportView) -> str:
    """The report's state in words (rendered HTML)."""
    report = view.report
    if report is not None and report.late and report.state is not ReportState.DRAFT:
        return t(f"report-state-{report.state.value}") + t("report-late-mark")
    return t(f"report-state-{view.state.value}")


def _item(t: T, view: ReportView, n: int, c: Criterion, lang: str, title_len: int) -> str:
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    shown = html.escape(show_value(t, c, stored, lang), quote=False)
    if value is not None and value.self_points is not None and c.kind not in ("score", "text") \
            and stored:
        shown += t("report-form-points", points=format_points(value.self_points, lang))
    count = view.evidence_counts.get(c.id, 0)
    if count:
        shown += t("report-form-evidence", count=count)
    title = shorten(c.title, title_len) if title_len else c.code
    return t("report-form-item", n=n, title=title, code=c.code,
             limit=Html(limit_text(t, view, c, lang)), value=Html(shown))


def form_head(t: T, view: ReportView, lang: str) -> str:
    tz = view.tree.block.tz
    lines = [t("report-form-title", phase=view.phase.name, unit=view.unit.name,
               code=view.unit.code),
             t("report-form-state", state=Html(state_text(t, view)),
               due=format_datetime(view.phase.report_due, tz))]
    report = view.report
    if report is not None and report.state is ReportState.RETURNED and report.return_reason:
        lines.append(t("report-form-returned", reason=report.return_reason))
    if view.late_refused:
        lines.append(t("report-form-late-refused"))
    elif view.past_due and view.editable and will_be_late(view):
        # Not for a report the chair returned: lateness was settled at its first submission
        # (the state line says "trễ hạn" when it was late).
        lines.append(t("report-form-past-due"))
    return "\n".join(lines)


def form_foot(t: T, view: ReportView, lang: str) -> str:
    score = view.score
    lines = [t("report-form-total", total=format_points(score.self_total, lang))]
    if view.state is ReportState.APPRAISED:
        lines.append(t("report-form-appraised-total", total=format_points(score.total, lang)))
    if view.editable:
        if view.missing:
            lines.append(t("report-form-missing", count=len(view.missing)))
        lines.append(t("report-form-help"))
    elif view.state in (ReportState.SUBMITTED, ReportState.APPRAISED):
        lines.append(t("report-form-locked"))
    return "\n".join(lines)


def form_text(t: T, view: ReportView, lang: str, head: str = "") -> str:
    """The whole form; titles shrink until it fits one Telegram message."""
    top = (head + "\n\n" if head else "") + form_head(t, view, lang)
    foot = form_foot(t, view, lang)
    text = ""
    for title_len in TITLE_LENGTHS:
        parts = [top]
        group: str | None = None
        for n, c in enumerate(view.criteria, start=1):
            if c.group_name and c.group_name != group:
                parts.append(t("report-form-group", group=c.group_name))
            group = c.group_name
            parts.append(_item(t, view, n, c, lang, title_len))
        text = "\n".join(parts[:1]) + "\n\n" + "\n".join(parts[1:]) + "\n\n" + foot
        if fits(text, MAX_MESSAGE):
            return text
    return fit_message(text)


def form_keyboard(t: T, view: ReportView) -> Buttons:
    phase = view.phase.id
    rows: list[list[tuple[str, str]]] = []
    if view.editable:
        buttons = []
        for n, c in enumerate(view.criteria, start=1):
            value = view.values.get(c.id)
            mark = " ✓" if value is not None and value.filled else ""
            buttons.append((f"{n}{mark}", callbacks.choose_criterion(phase, c.id)))
        rows += [buttons[i:i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
        rows.append([(t("report-button-submit"), callbacks.preview_submit(phase))])
    rows.append([(t("report-button-refresh"), callbacks.open_report(phase))])
    return keyboard(rows)


def prompt(t: T, view: ReportView, c: Criterion, lang: str) -> tuple[str, Buttons]:
    """The question for one criterion: what it is, what is there, what to send. A narrative
    that would make it too long for one message is shortened (full_text sends it whole)."""
    text, buttons = _prompt(t, view, c, lang, whole=True)
    if fits(text, MAX_MESSAGE):
        return text, buttons
    text, buttons = _prompt(t, view, c, lang, whole=False)
    return fit_message(text), buttons


def full_text(t: T, view: ReportView, c: Criterion, lang: str) -> list[str]:
    """The messages that carry a narrative its criterion's screen could not show whole
    ("xem đầy đủ"); none when the screen shows it all."""
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    if c.kind != "text" or not stored or fits(_prompt(t, view, c, lang, whole=True)[0]):
        return []
    return whole_value(t, c, stored)


def whole_value(t: T, c: Criterion, stored: str) -> list[str]:
    """A long value in full, headed by its criterion, in as many messages as it takes."""
    head = t("report-value-full", title=shorten(c.title, 160))
    return split_text(head + "\n\n" + html.escape(stored, quote=False), MAX_MESSAGE)


def _prompt(
    t: T, view: ReportView, c: Criterion, lang: str, *, whole: bool
) -> tuple[str, Buttons]:
    n = view.criteria.index(c) + 1
    value = view.values.get(c.id)
    stored = value.self_value if value else None
    lines = [t("report-ask-title", n=n, title=c.title, code=c.code),
             t("report-ask-limit", limit=Html(limit_text(t, view, c, lang)))]
    if c.group_name:
        lines.append(t("report-ask-group", group=c.group_name))
    if c.kind == "text" and stored and whole:
        lines.append(t("report-ask-current-text", value=stored))
    elif c.kind == "text" and stored:
        lines.append(t("report-ask-current-text", value=clip(stored, NARRATIVE_ON_SCREEN)))
        lines.append(t("report-value-clipped"))
    else:
        lines.append(t("report-ask-current", value=show_value(t, c, stored, lang)))
    lines.append(t("report-ask-evidence-count", count=view.evidence_counts.get(c.id, 0)))
    lines.append("")
    lines.append(t(f"report-ask-{c.kind}", max=format_points(c.max_points, lang),
                   example=format_points(example_points(c.max_points), lang)))
    lines.append(t("report-ask-evidence"))
    rows: list[list[tuple[str, str]]] = []
    if c.kind == "yesno":
        rows.append([
            (t("report-yes"), callbacks.answer_yesno(view.phase.id, c.id, True)),
            (t("report-no"), callbacks.answer_yesno(view.phase.id, c.id, False)),
        ])
    rows.append([(t("report-button-back"), callbacks.open_report(view.phase.id))])
    return "\n".join(lines), keyboard(rows)


def bad_value_text(t: T, c: Criterion, bad: BadValue, lang: str) -> str:
    params: dict[str, Any] = {"title": c.title, "code": c.code}
    if bad.limit is not None:
        params["limit"] = format_number(Decimal(bad.limit), lang)
    text = t(f"report-bad-{bad.problem.value}", **params)
    if bad.problem is Problem.NOT_A_NUMBER and bad.suggestion:
        text += t("report-bad-suggestion", suggestion=echo(bad.suggestion))
    return text


def missing_text(t: T, view: ReportView) -> str:
    lines = [t("report-submit-missing", count=len(view.missing))]
    for c in view.missing:
        n = view.criteria.index(c) + 1
        lines.append(t("report-submit-missing-item", n=n, title=shorten(c.title, 80),
                       code=c.code))
    return "\n".join(lines)


def summary_text(t: T, view: ReportView, late: bool, lang: str) -> str:
    s = view.score
    lines = [t("report-confirm-title", phase=view.phase.name, unit=view.unit.name),
             t("report-confirm-total", total=format_points(s.self_total, lang),
               base=format_points(s.base, lang), bonus=format_points(s.bonus, lang),
               penalty=format_points(s.penalty, lang))]
    if late:
        lines.append(t("report-confirm-late",
                       due=format_datetime(view.phase.report_due, view.tree.block.tz)))
    lines.append(t("report-confirm-lock"))
    return "\n".join(lines)


def confirm_keyboard(t: T, view: ReportView) -> Buttons:
    return keyboard([[(t("report-button-confirm"), callbacks.confirm_submit(view.phase.id)),
                      (t("report-button-back"), callbacks.open_report(view.phase.id))]])
