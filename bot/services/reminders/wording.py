"""What a reminder says and which buttons it carries, for one unit or the group: names,
never codes (a long list is shortened with an ellipsis by bot.formatting.clip), and under
every nudge the button that does the thing and «⏰ Nhắc lại sau». Pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.buttons import NO_BUTTONS, Button, Buttons
from bot.formatting import clip, format_deadline
from bot.services.covenant.callbacks import sign_data
from bot.services.reminders.callbacks import SnoozeKind, snooze_data
from bot.services.reports.callbacks import open_report
from bot.texts import Catalog
from storage.records import Block, Criterion, Unit

# A line of names in a group summary or a reminder stays readable on a phone: past this
# many characters it ends with "…" (the count before it says how many there are).
NAMES_ROOM = 160
CRITERION_ROOM = 56  # one criterion's title, on one line of a phone
CRITERIA_SHOWN = 5  # lines "(1) …" at most; then how many more


def time_left(texts: Catalog, lang: str, now: datetime, deadline: datetime) -> str:
    """'3 ngày', '2 giờ', '5 phút': the largest whole unit, as people say it."""
    left = max(deadline - now, timedelta(0))
    minutes = round(left.total_seconds() / 60)
    if minutes >= 24 * 60:
        return texts.text(lang, "remind-left-days", n=round(minutes / (24 * 60)))
    if minutes >= 60:
        return texts.text(lang, "remind-left-hours", n=round(minutes / 60))
    return texts.text(lang, "remind-left-minutes", n=max(minutes, 1))


def unit_names(units: list[Unit], room: int = NAMES_ROOM) -> str:
    """"Ủy ban Kiểm tra Tỉnh ủy, Đảng ủy Khối…": the units' names, shortened to `room`."""
    return clip(", ".join(u.name for u in units), room)


def criteria_names(texts: Catalog, lang: str, missing: list[Criterion],
                   order: list[Criterion]) -> str:
    """One line per criterion, by its number in the scoring table and its (shortened)
    title: "(1) Hoàn thành nhiệm vụ chính trị…"; past CRITERIA_SHOWN, how many more."""
    number = {c.id: n for n, c in enumerate(order, start=1)}
    lines = [f"({number.get(c.id, '?')}) {clip(c.title, CRITERION_ROOM)}"
             for c in missing[:CRITERIA_SHOWN]]
    if len(missing) > CRITERIA_SHOWN:
        lines.append(texts.text(lang, "remind-report-missing-more",
                                count=len(missing) - CRITERIA_SHOWN))
    return "\n".join(lines)


def deadline_text(block: Block, when: datetime, lang: str) -> str:
    return format_deadline(when, block.tz, lang)


def snooze_button(texts: Catalog, lang: str, kind: SnoozeKind, subject_id: int) -> Button:
    return Button(texts.text(lang, "remind-button-snooze"), snooze_data(kind, subject_id))


def report_buttons(texts: Catalog, lang: str, phase_id: int, *, snooze: bool = True
                   ) -> Buttons:
    """«📝 Mở báo cáo» (the report form of the phase) and «⏰ Nhắc lại sau»."""
    row = [Button(texts.text(lang, "report-button-open"), open_report(phase_id))]
    if snooze:
        row.append(snooze_button(texts, lang, "report", phase_id))
    return (tuple(row),)


def sign_buttons(texts: Catalog, lang: str, version_id: int | None, unit_id: int) -> Buttons:
    """«✍️ Ký giao ước» (the covenant's own signing button) and «⏰ Nhắc lại sau»."""
    if version_id is None:
        return NO_BUTTONS
    return ((Button(texts.text(lang, "covenant-button-sign"), sign_data(version_id, unit_id)),
             snooze_button(texts, lang, "sign", version_id)),)


def returned_buttons(texts: Catalog, lang: str, phase_id: int, report_id: int) -> Buttons:
    """Under "the chair returned your report": «📝 Mở báo cáo» and «⏰ Nhắc lại sau»."""
    return ((Button(texts.text(lang, "report-button-open"), open_report(phase_id)),
             snooze_button(texts, lang, "returned", report_id)),)
