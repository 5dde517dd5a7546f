"""A phase's reports: units fill them through the form or with `CODE: value` lines, attach
evidence and send; one after the bot's reminder, one (in the first phase) after the
deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.blockfile.model import CriterionSpec, PhaseSpec
from bot.demo.cast import Person, figure
from bot.demo.moves import button_starting
from bot.demo.play import Play
from bot.demo.stage import DemoError
from bot.demo.year_excel import by_excel
from bot.demo.year_start import spread, working
from bot.sandbox import SentMessage
from storage import reminders as reminders_repo

REPORT_WINDOW = timedelta(days=26)  # units start reporting about a month before the deadline


def values_of(play: Play, person: Person, k: int) -> dict[str, str]:
    """What the unit reports in phase number k (criterion code -> typed value)."""
    found = {}
    for c in play.spec.criteria:
        target = play.own_targets.get((person.code, c.code)) or person.unit.targets.get(c.code)
        value = figure(c, person.unit, k, target, play.spec.language)
        if value is not None:
            found[c.code] = value
    return found


def evidence_criterion(play: Play) -> CriterionSpec:
    return next((c for c in play.spec.criteria if c.kind == "number"), play.spec.criteria[0])


async def by_lines(play: Play, person: Person, values: dict[str, str]) -> SentMessage:
    text = "\n".join(f"{code}: {value}" for code, value in values.items())
    return await play.moves.say(person, text, minutes=9)


async def by_form(play: Play, person: Person, values: dict[str, str]) -> SentMessage:
    """Open the first group of criteria, press each criterion's name and answer it (a
    button for yes/no, typed into the prompt otherwise), «▶» to the next group."""
    form = await play.moves.say(person, "/report")
    screen = await play.moves.press(person, form, first_page(form))
    for n, c in enumerate(play.spec.criteria, start=1):
        value = values.get(c.code)
        if value is None:
            continue
        screen = await page_with(play, person, screen, n)
        prompt = await play.moves.press(person, screen, criterion_label(screen, n))
        if c.kind == "yesno":
            yes = value in ("có", "yes")
            screen = await play.moves.press(person, prompt,
                                            play.label("report-yes" if yes else "report-no"))
        else:
            screen = await play.moves.say(person, value, minutes=3 if c.kind == "text" else 1)
    return screen


def criterion_label(screen: SentMessage, n: int) -> str:
    label = button_starting(screen, f"{n}. ")
    if label is None:
        raise DemoError(f"criterion {n} is on no page of the form: {screen.text}")
    return label


def first_page(form: SentMessage) -> str:
    """The label of the overview's first group button."""
    return next(str(b["text"]) for b in form.buttons
                if str(b.get("callback_data", "")).startswith("rp:g:"))


async def page_with(play: Play, person: Person, screen: SentMessage, n: int) -> SentMessage:
    """The page showing criterion n: this one, or one further on («▶»)."""
    while button_starting(screen, f"{n}. ") is None and button_starting(screen, "▶"):
        screen = await play.moves.press(person, screen, "▶")
    return screen


async def attach(play: Play, person: Person, *, photo: bool = True, pdf: bool = False) -> None:
    """Open the report, the group and the criterion the files prove, send them."""
    form = await play.moves.say(person, "/report", minutes=15)
    n = play.criterion_number(evidence_criterion(play).code)
    page = await page_with(play, person, await play.moves.press(person, form, first_page(form)),
                           n)
    await play.moves.press(person, page, criterion_label(page, n))
    if photo:
        await play.moves.photo(person, play.media.photo)
    if pdf:
        await play.moves.document(person, play.media.record_pdf, filename="bien-ban-trao-qua.pdf",
                                  mime_type="application/pdf")


async def submit(play: Play, person: Person, form: SentMessage | None = None) -> None:
    """«📤 Nộp báo cáo», check the self-score, «✅ Xác nhận nộp»."""
    if form is None:
        form = await play.moves.say(person, "/report")
    confirm = await play.moves.press(person, form, play.label("report-button-submit"))
    await play.moves.press(person, confirm, play.label("report-button-confirm"), minutes=2)


async def report(play: Play, person: Person, k: int, *, style: str, photo: bool = False,
                 pdf: bool = False) -> None:
    values = values_of(play, person, k)
    form = await {"form": by_form, "excel": by_excel}.get(style, by_lines)(play, person, values)
    if photo or pdf:
        await attach(play, person, photo=photo, pdf=pdf)
    await submit(play, person, None if photo or pdf else form)


async def reminder_times(play: Play, phase: PhaseSpec) -> list[datetime]:
    async with play.stage.db.read() as conn:
        rows = await reminders_repo.upcoming(conn, play.block_id, play.stage.clock.now())
    return sorted(r.due_at for r in rows if r.kind == "report" and r.subject == phase.code)


async def phase_reports(play: Play, k: int, phase: PhaseSpec) -> None:
    tz = play.stage.clock.tz
    due = phase.report_due
    reminders = await reminder_times(play, phase)
    roles = play.roles
    # With `late_reports = "refuse"` nobody can report late: the late unit reports after
    # a reminder instead.
    late = roles.late_reporter if k == 0 and play.late_allowed else None
    waits = [roles.after_reminder] + ([] if late else [roles.late_reporter])
    waits = [u for u in {u.code: u for u in waits}.values() if not late or u.code != late.code]
    held = {u.code for u in waits} | ({late.code} if late else set())
    on_time = [p for p in play.people.values() if p.code not in held]

    start = working(max((due - REPORT_WINDOW).astimezone(tz).replace(hour=8, minute=30),
                        play.stage.clock.later(hours=2).astimezone(tz),
                        play.at(phase.start, 8, 30)))
    end = max((reminders[0] if reminders else due) - timedelta(days=1), start)
    await play.travel(start)
    await play.story.scene(
        f"{phase.name}: the units fill in and send their reports",
        f"{phase.name}: các đơn vị nhập báo cáo (bằng biểu mẫu, dòng «MÃ: giá trị» hoặc tệp "
        "Excel), "
        "gửi minh chứng và nộp báo cáo",
        *[p.user_id for p in on_time], play.group_id)
    form_user = roles.form_users[k % len(roles.form_users)].code
    # One unit reports through Excel every phase (issue 23): the first with no other part.
    busy = {u.code for u in (*roles.form_users, roles.chair, roles.returned)}
    excel_user = next((p.code for p in on_time if p.code not in busy), None)
    slots = spread(start.astimezone(tz), end.astimezone(tz), len(on_time))
    for n, (person, when) in enumerate(zip(on_time, slots, strict=True)):
        await play.travel(when)
        returned = k == 0 and person.code == roles.returned.code
        style = ("form" if person.code == form_user else
                 "excel" if person.code == excel_user else "lines")
        await report(play, person, k, style=style,
                     photo=not returned and n % 3 == 1, pdf=returned)

    for m, unit in enumerate(waits):
        if m < len(reminders):
            await play.travel(working(reminders[m].astimezone(tz) + timedelta(hours=3)))
        person = play.of(unit)
        await play.story.scene(
            f"{unit.name} reports after the bot's reminder",
            f"{unit.name} nộp báo cáo {phase.name} sau khi được bot nhắc hạn",
            person.user_id)
        await report(play, person, k, style="lines", photo=True)

    if late is not None:
        await play.travel(working(due.astimezone(tz) + timedelta(hours=15)))
        person = play.of(late)
        await play.story.scene(
            f"{late.name} reports after the deadline: the report is marked late",
            f"{late.name} nộp báo cáo {phase.name} sau thời hạn: báo cáo được ghi nhận "
            "là nộp trễ hạn", person.user_id, play.group_id)
        await report(play, person, k, style="lines")
