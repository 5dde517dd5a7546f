"""The chair's appraisal of a phase: look at reports and evidence, adjust points with a
reason, return one report (first phase), accept the rest, finish with /review done."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from bot.blockfile.model import PhaseSpec
from bot.demo.cast import Person
from bot.demo.moves import button_starting, has_button
from bot.demo.play import Play
from bot.demo.stage import DemoError
from bot.demo.year_reports import attach, submit, values_of
from bot.demo.year_start import working
from bot.formatting import format_number, parse_number
from bot.sandbox import SentMessage

RETURN_REASON = ("Đề nghị đơn vị bổ sung ảnh minh chứng buổi trao quà cho tiêu chí số tiền "
                 "vận động; biên bản đã gửi chưa thể hiện hình ảnh thực tế.")
LOWER_REASON = "Một số nhiệm vụ trọng tâm hoàn thành chậm so với kế hoạch"
PENALTY_REASON = "Nộp báo cáo sau thời hạn"
LOWER_BY = Decimal("2.5")
PENALTY_POINTS = Decimal(2)
SITTING = 4  # reports the chair appraises in one sitting


async def open_report(play: Play, phase: PhaseSpec, code: str,
                      who: Person | None = None) -> SentMessage:
    """/review PHASE, then the unit's button: the report with the chair's tools."""
    who = who or play.chair
    overview = await play.moves.say(who, f"/review {phase.code}", minutes=4)
    return await play.moves.press(who, overview, f"{code} ")


def shows_report_of(play: Play, screen: SentMessage, phase: PhaseSpec, person: Person) -> bool:
    """Whether the chair's screen is this unit's report (its title line)."""
    title = play.label("review-detail-title", phase=phase.name, unit=person.unit.name,
                       state="", submitted="")
    return (screen.text or "").startswith(re.sub(r"<[^>]+>", "", title).split("\n")[0])


async def accept(play: Play, detail: SentMessage, who: Person | None = None) -> SentMessage:
    """«✅ Chấp nhận và sang đơn vị tiếp theo ▶»: the next report waiting (or the list)."""
    return await play.moves.press(who or play.chair, detail,
                                  play.label("review-button-accept"), minutes=3)


async def adjust(play: Play, detail: SentMessage, code: str, points: str,
                 reason: str) -> SentMessage:
    """✏️ on a criterion (on its page), the points, then the reason the bot asks for when
    they are lower; returns the updated report."""
    n = play.criterion_number(code)
    for way in ("▶", "◀"):  # the page with its button: further on, or back
        while button_starting(detail, f"✏️ {n}.") is None and button_starting(detail, way):
            detail = await play.moves.press(play.chair, detail, way)
    label = button_starting(detail, f"✏️ {n}.")
    if label is None:
        raise DemoError(f"no ✏️ for criterion {n} on the report: {detail.text}")
    await play.moves.press(play.chair, detail, label)
    answer = await play.moves.say(play.chair, points, minutes=2)
    if (answer.reply_markup or {}).get("force_reply"):  # lower: the reason is asked for
        answer = await play.moves.say(play.chair, reason, minutes=2)
    return answer


def lowered(play: Play, person: Person, k: int) -> tuple[str, str] | None:
    """The first self-scored criterion, a little lower than the unit gave itself."""
    values = values_of(play, person, k)
    for c in play.criteria("score"):
        if c.bonus or c.penalty or c.code not in values:
            continue
        own = parse_number(values[c.code], play.spec.language)
        if own > LOWER_BY:
            return c.code, format_number(own - LOWER_BY, play.spec.language)
    return None


async def return_and_resubmit(play: Play, phase: PhaseSpec, k: int, person: Person) -> None:
    detail = await open_report(play, phase, person.code)
    await play.moves.press(play.chair, detail, play.label("review-button-return"))
    await play.moves.say(play.chair, RETURN_REASON, minutes=3)
    await play.travel(working(play.stage.clock.local() + timedelta(hours=18)))
    await play.story.scene(
        f"{person.unit.name} adds the missing photo and sends the report again",
        f"{person.unit.name} bổ sung ảnh minh chứng theo yêu cầu và gửi lại báo cáo",
        person.user_id)
    notice = play.moves.with_button(person.user_id, play.label("report-button-open"))
    await play.moves.press(person, notice, play.label("report-button-open"), minutes=20)
    await attach(play, person, photo=True)
    await submit(play, person)


async def review_unit(play: Play, k: int, phase: PhaseSpec, person: Person,
                      screen: SentMessage) -> SentMessage:
    """On the chair's screen (the unit's report, when «Chấp nhận và sang đơn vị tiếp theo»
    brought it up; else from the list): evidence, adjustments, accept. Returns the screen
    the acceptance leads to."""
    roles = play.roles
    n = list(play.people).index(person.code)
    detail = screen if shows_report_of(play, screen, phase, person) else await open_report(
        play, phase, person.code)
    returned = k == 0 and person.code == roles.returned.code
    if (returned or n % 3 == 1) and has_button(detail, "📎"):
        detail = await play.moves.press(play.chair, detail, "📎")  # the page again, below
    if n % 4 == 2 and (change := lowered(play, person, k)) is not None:
        detail = await adjust(play, detail, change[0], change[1], LOWER_REASON)
    penalty = next((c for c in play.spec.criteria if c.penalty), None)
    late = k == 0 and play.late_allowed and person.code == roles.late_reporter.code
    if late and penalty is not None:
        points = format_number(PENALTY_POINTS, play.spec.language)
        detail = await adjust(play, detail, penalty.code, points, PENALTY_REASON)
    return await accept(play, detail)


async def chair_unit_report(play: Play, phase: PhaseSpec) -> None:
    """The chair's own unit's report: the chair sees it is the vice-chair unit's to
    appraise, and the vice-chair unit's representative accepts it."""
    vice = next((play.of(u) for u in play.spec.units if u.role == "vice_chair"), None)
    chair = play.chair
    if vice is None or vice.code == chair.code:
        return
    await play.story.scene(
        f"The chair unit's own report is appraised by the vice-chair unit ({vice.unit.name})",
        f"Báo cáo của đơn vị Khối trưởng do đơn vị Khối phó ({vice.unit.name}) thẩm định; "
        "Khối trưởng chỉ xem, không tự chấm", chair.user_id, vice.user_id)
    await open_report(play, phase, chair.code)
    detail = await open_report(play, phase, chair.code, who=vice)
    await accept(play, detail, who=vice)


async def appraise(play: Play, k: int, phase: PhaseSpec) -> None:
    """The chair works through the list in a few sittings, one /review each, going from
    one report to the next with «✅ Chấp nhận và sang đơn vị tiếp theo ▶»."""
    tz = play.stage.clock.tz
    start = working(phase.report_due.astimezone(tz) + timedelta(hours=21))
    await play.travel(start)
    await play.story.scene(
        f"{phase.name}: the chair appraises the reports",
        f"{phase.name}: Khối trưởng thẩm định báo cáo của các đơn vị (xem minh chứng, điều "
        "chỉnh điểm có lý do, chấp nhận và sang đơn vị tiếp theo, hoặc trả lại)",
        play.chair.user_id)
    if k == 0:
        await return_and_resubmit(play, phase, k, play.of(play.roles.returned))
        await play.travel(play.stage.clock.later(hours=2))
    people = play.members()
    sittings = [people[i:i + SITTING] for i in range(0, len(people), SITTING)]
    for n, sitting in enumerate(sittings):
        if n:
            await play.travel(working(play.stage.clock.local() + timedelta(hours=17)))
        screen = await play.moves.say(play.chair, f"/review {phase.code}", minutes=4)
        for person in sitting:
            screen = await review_unit(play, k, phase, person, screen)
    await play.travel(play.stage.clock.later(hours=1))
    await chair_unit_report(play, phase)
    await play.travel(play.stage.clock.later(hours=2))
    await play.story.scene(
        f"The chair finishes the appraisal of {phase.name} (/review done)",
        f"Khối trưởng hoàn tất thẩm định {phase.name} (/review done); điểm trở thành chính "
        "thức", play.chair.user_id, play.group_id)
    await play.moves.say(play.chair, f"/review done {phase.code}")
