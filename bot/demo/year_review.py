"""The chair's appraisal of a phase: look at reports and evidence, adjust points with a
reason, return one report (first phase), accept the rest, finish with /review done."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bot.blockfile.model import PhaseSpec
from bot.demo.cast import Person
from bot.demo.moves import has_button
from bot.demo.play import Play
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


async def open_report(play: Play, phase: PhaseSpec, code: str) -> SentMessage:
    """/review PHASE, then the unit's button: the report with the chair's tools."""
    overview = await play.moves.say(play.chair, f"/review {phase.code}", minutes=4)
    return await play.moves.press(play.chair, overview, f"{code} ")


async def accept(play: Play, detail: SentMessage) -> None:
    await play.moves.press(play.chair, detail, play.label("review-button-accept"), minutes=3)


async def adjust(play: Play, detail: SentMessage, code: str, points: str) -> SentMessage:
    """✏️ on a criterion, then «points; reason»; returns the updated report."""
    n = play.criterion_number(code)
    await play.moves.press(play.chair, detail, f"✏️ {n}")
    return await play.moves.say(play.chair, points, minutes=2)


def lowered(play: Play, person: Person, k: int) -> tuple[str, str] | None:
    """The first self-scored criterion, a little lower than the unit gave itself."""
    values = values_of(play, person, k)
    for c in play.criteria("score"):
        if c.bonus or c.penalty or c.code not in values:
            continue
        own = parse_number(values[c.code], play.spec.language)
        if own > LOWER_BY:
            return c.code, f"{format_number(own - LOWER_BY, play.spec.language)}; {LOWER_REASON}"
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


async def review_unit(play: Play, k: int, person: Person, screen: SentMessage) -> SentMessage:
    """On the chair's review screen: open the unit, look at evidence, adjust, accept."""
    roles = play.roles
    n = list(play.people).index(person.code)
    detail = await play.moves.press(play.chair, screen, f"{person.code} ")
    returned = k == 0 and person.code == roles.returned.code
    if (returned or n % 3 == 1) and has_button(detail, "📎"):
        await play.moves.press(play.chair, detail, "📎")
    if n % 4 == 2 and (change := lowered(play, person, k)) is not None:
        detail = await adjust(play, detail, change[0], change[1])
    penalty = next((c for c in play.spec.criteria if c.penalty), None)
    late = k == 0 and play.late_allowed and person.code == roles.late_reporter.code
    if late and penalty is not None:
        points = f"{format_number(PENALTY_POINTS, play.spec.language)}; {PENALTY_REASON}"
        detail = await adjust(play, detail, penalty.code, points)
    await accept(play, detail)
    return detail


async def appraise(play: Play, k: int, phase: PhaseSpec) -> None:
    """The chair works through the list in a few sittings, one /review each."""
    tz = play.stage.clock.tz
    start = working(phase.report_due.astimezone(tz) + timedelta(hours=21))
    await play.travel(start)
    await play.story.scene(
        f"{phase.name}: the chair appraises the reports",
        f"{phase.name}: Khối trưởng thẩm định báo cáo của các đơn vị (xem minh chứng, điều "
        "chỉnh điểm có lý do, chấp nhận hoặc trả lại)", play.chair.user_id)
    if k == 0:
        await return_and_resubmit(play, phase, k, play.of(play.roles.returned))
        await play.travel(play.stage.clock.later(hours=2))
    people = list(play.people.values())
    sittings = [people[i:i + SITTING] for i in range(0, len(people), SITTING)]
    for n, sitting in enumerate(sittings):
        if n:
            await play.travel(working(play.stage.clock.local() + timedelta(hours=17)))
        screen = await play.moves.say(play.chair, f"/review {phase.code}", minutes=4)
        for m, person in enumerate(sitting):
            detail = await review_unit(play, k, person, screen)
            if m + 1 < len(sitting):
                screen = await play.moves.press(play.chair, detail,
                                                play.label("review-button-list"))
    await play.travel(play.stage.clock.later(hours=3))
    await play.story.scene(
        f"The chair finishes the appraisal of {phase.name} (/review done)",
        f"Khối trưởng hoàn tất thẩm định {phase.name} (/review done); điểm trở thành chính "
        "thức", play.chair.user_id, play.group_id)
    await play.moves.say(play.chair, f"/review done {phase.code}")
