"""A phase's reports: units fill them through the form or with `CODE: value` lines, attach
evidence and send; one after the bot's reminder, one (in the first phase) after the
deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.blockfile.model import CriterionSpec, PhaseSpec
from bot.demo.cast import Person, figure
from bot.demo.play import Play
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
    """Press each criterion's number and answer (buttons for yes/no)."""
    form = await play.moves.say(person, "/report")
    for n, c in enumerate(play.spec.criteria, start=1):
        value = values.get(c.code)
        if value is None:
            continue
        prompt = await play.moves.press(person, form, str(n))
        if c.kind == "yesno":
            yes = value in ("có", "yes")
            form = await play.moves.press(person, prompt,
                                          play.label("report-yes" if yes else "report-no"))
        else:
            form = await play.moves.say(person, value, minutes=3 if c.kind == "text" else 1)
    return form


async def attach(play: Play, person: Person, *, photo: bool = True, pdf: bool = False) -> None:
    """Open the report, press the criterion the files prove, send them."""
    form = await play.moves.say(person, "/report", minutes=15)
    n = play.criterion_number(evidence_criterion(play).code)
    await play.moves.press(person, form, str(n))
    if photo:
        await play.moves.photo(person, play.media.photo)
    if pdf:
        await play.moves.document(person, play.media.record_pdf, filename="bien-ban-trao-qua.pdf",
                                  mime_type="application/pdf")


async def submit(play: Play, person: Person, form: SentMessage | None = None) -> None:
    """«📤 Gửi báo cáo», check the self-score, «✅ Xác nhận gửi»."""
    if form is None:
        form = await play.moves.say(person, "/report")
    confirm = await play.moves.press(person, form, play.label("report-button-submit"))
    await play.moves.press(person, confirm, play.label("report-button-confirm"), minutes=2)


async def report(play: Play, person: Person, k: int, *, style: str, photo: bool = False,
                 pdf: bool = False) -> None:
    values = values_of(play, person, k)
    form = await (by_form if style == "form" else by_lines)(play, person, values)
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
        f"{phase.name}: các đơn vị nhập báo cáo (bằng biểu mẫu hoặc dòng «MÃ: giá trị»), "
        "gửi minh chứng và nộp báo cáo",
        *[p.user_id for p in on_time], play.group_id)
    form_user = roles.form_users[k % len(roles.form_users)].code
    slots = spread(start.astimezone(tz), end.astimezone(tz), len(on_time))
    for n, (person, when) in enumerate(zip(on_time, slots, strict=True)):
        await play.travel(when)
        returned = k == 0 and person.code == roles.returned.code
        await report(play, person, k, style="form" if person.code == form_user else "lines",
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
