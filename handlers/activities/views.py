"""How the chair's and the representatives' private screens of activities look: the
wizard's steps and preview, /activities, an activity's details, the attendance list.

Pure rendering: `t` renders a catalog key in the reader's language; buttons' data comes
from bot.services.activities.callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.buttons import Button, Buttons, rows
from bot.services.activities import callbacks
from bot.services.activities.attendance import (
    LIST_OPENS_BEFORE,
    AttendanceView,
    checkin_window,
)
from bot.services.activities.listing import Detail, Listing
from bot.services.activities.loaded import criterion_of
from bot.services.activities.wizard import Problem, Screen
from bot.services.activities.wording import answer_line, counter, facts, own_buttons, when
from bot.texts import Catalog
from storage.activities.records import Activity

T = Callable[..., str]
LIST_MAX = 10  # activities listed per part (coming, past): a phone screen
UNITS_PER_ROW = 3
_KIND_ROWS = (("sports", "culture"), ("charity", "seminar"), ("other",))


def _cancel(t: T) -> Button:
    return Button(t("activity-btn-cancel"), callbacks.wizard(callbacks.WIZARD_CANCEL, "go"))


def wizard_screen(t: T, texts: Catalog, lang: str, screen: Screen) -> tuple[str, Buttons]:
    """The question of the step the draft is at (with what went wrong, if anything)."""
    head = [t(f"activity-wizard-bad-{p.value}") for p in screen.problems]
    step = screen.step
    buttons: Buttons = rows([_cancel(t)])
    if step == "kind":
        buttons = rows(*([Button(t(f"activity-kind-{kind}"),
                                 callbacks.wizard(callbacks.WIZARD_KIND, kind))
                          for kind in line] for line in _KIND_ROWS), [_cancel(t)])
    elif step == "place":
        buttons = rows([Button(t("activity-btn-skip"),
                               callbacks.wizard(callbacks.WIZARD_SKIP, "place")), _cancel(t)])
    elif step == "criterion":
        choices = [[Button(f"{c.code}", callbacks.wizard(callbacks.WIZARD_CRITERION, c.id))]
                   for c in screen.fillable]
        buttons = rows(*choices, [Button(t("activity-btn-no-criterion"),
                                         callbacks.wizard(callbacks.WIZARD_CRITERION, "none"))],
                       [_cancel(t)])
    elif step == "preview":
        return _preview(t, texts, lang, screen, head)
    body = t(f"activity-wizard-{step}")
    if step == "criterion":
        listed = [t("activity-wizard-criterion-item", code=c.code, title=c.title)
                  for c in screen.fillable]
        body += "\n" + "\n".join(listed) if listed else "\n" + t("activity-wizard-no-fillable")
    return "\n\n".join([*head, body]), buttons


def _preview(t: T, texts: Catalog, lang: str, screen: Screen, head: list[str]
             ) -> tuple[str, Buttons]:
    assert screen.tree is not None
    activity = draft_activity(screen)
    criterion = criterion_of(screen.tree, activity.criterion_code)
    lines = facts(texts, lang, activity, screen.tree.block, criterion)
    text = "\n\n".join([*head, t("activity-wizard-preview"), "\n".join(lines),
                        t("activity-wizard-preview-note")])
    return text, rows([Button(t("activity-btn-create"),
                              callbacks.wizard(callbacks.WIZARD_CREATE, "go")), _cancel(t)])


def draft_activity(screen: Screen) -> Activity:
    """The draft as an Activity, so the preview reads exactly as the card will."""
    data = screen.data
    assert screen.tree is not None
    starts = datetime.fromisoformat(data["starts"])
    return Activity(
        id=0, block_id=screen.tree.block.id, code="", source="chat", title=data["title"],
        kind=data["kind"], place=data.get("place"), starts_at=starts,
        ends_at=datetime.fromisoformat(data["ends"]) if data.get("ends") else None,
        answer_by=datetime.fromisoformat(data["answer_by"]),
        criterion_code=data.get("criterion"), absence_penalty=None, state="open",
        announced_at=None, attendance_at=None, attendance_by=None, created_by=None,
        created_at=starts, updated_at=starts)


def is_problem(screen: Screen, problem: Problem) -> bool:
    return problem in screen.problems


def listing_screen(t: T, texts: Catalog, lang: str, listing: Listing) -> tuple[str, Buttons]:
    tz = listing.block.tz
    lines = [t("activity-list-title", block=listing.block.name)]
    buttons: list[Button] = []
    for key, part in (("activity-list-coming", listing.coming),
                      ("activity-list-past", listing.past)):
        if not part:
            continue
        lines.append("")
        lines.append(t(key))
        for item in part[:LIST_MAX]:
            number = len(buttons) + 1
            lines.append(t("activity-list-item", n=number, title=item.activity.title,
                           time=when(texts, lang, item.activity.starts_at, tz),
                           answered=item.answered, total=item.total, coming=item.coming))
            buttons.append(Button(str(number), callbacks.detail(item.activity.id)))
    if not buttons:
        lines.append(t("activity-list-empty"))
    return "\n".join(lines), rows(buttons[:5], buttons[5:10], buttons[10:15], buttons[15:])


def detail_screen(t: T, texts: Catalog, lang: str, found: Detail, now: datetime
                  ) -> tuple[str, Buttons]:
    loaded = found.loaded
    activity, block, standing = loaded.activity, loaded.block, loaded.standing
    parts = ["\n".join(facts(texts, lang, activity, block, loaded.criterion)),
             counter(texts, lang, standing)]
    buttons: list[list[Button]] = []
    if found.is_chair:
        parts.append(_who(t, found))
        if now >= activity.starts_at - LIST_OPENS_BEFORE:
            buttons.append([Button(t("activity-btn-attendance"),
                                   callbacks.attendance(activity.id))])
    if found.unit_id is not None:
        answer = loaded.answers.get(found.unit_id)
        parts.append(answer_line(texts, lang, answer, block.tz))
        for row in own_buttons(texts, lang, activity, found.unit_id, answer, now):
            buttons.append(list(row))
        opens, closes = checkin_window(loaded)
        if opens <= now <= closes and (answer is None or answer.coming):
            buttons.append([Button(t("activity-btn-checkin"), callbacks.checkin(activity.id))])
    if activity.attendance_at is not None:
        present = sum(1 for row in found.attendance.values() if row.attended)
        parts.append(t("activity-detail-attendance", present=present,
                       total=len(loaded.tree.units),
                       time=when(texts, lang, activity.attendance_at, block.tz)))
    return "\n\n".join(parts), rows(*buttons)


def _who(t: T, found: Detail) -> str:
    loaded = found.loaded
    coming = [f"{u.code} ({a.people})" if (a := loaded.answers[u.id]).people else u.code
              for u in loaded.standing.coming]
    absent = [u.code for u in loaded.standing.absent]
    pending = [u.code for u in loaded.standing.pending]
    lines = []
    for key, codes in (("activity-detail-coming", coming), ("activity-detail-absent", absent),
                       ("activity-detail-pending", pending)):
        if codes:
            lines.append(t(key, count=len(codes), codes=", ".join(codes)))
    return "\n".join(lines)


def attendance_screen(t: T, texts: Catalog, lang: str, view: AttendanceView
                      ) -> tuple[str, Buttons]:
    loaded = view.loaded
    assert loaded is not None
    activity = loaded.activity
    marks = []
    for unit in loaded.tree.units:
        mark = "✅" if unit.id in view.present else "⬜"
        camera = " 📷" if unit.id in view.checked_in else ""
        marks.append(Button(f"{mark} {unit.code}{camera}", callbacks.toggle(activity.id,
                                                                            unit.id)))
    grid = [marks[i:i + UNITS_PER_ROW] for i in range(0, len(marks), UNITS_PER_ROW)]
    text = "\n\n".join([t("activity-attendance-title", title=activity.title),
                        t("activity-attendance-help"),
                        t("activity-attendance-count", present=len(view.present),
                          total=len(loaded.tree.units))])
    return text, rows(*grid, [Button(t("activity-btn-save-attendance"),
                                     callbacks.save_attendance(activity.id))])
