"""Rankings and the year's workbook: what units look up (/ranking, /progress) and what the
chair exports (/export). The bot posts rankings to the group by itself after each deadline
and after /review done; these scenes add what people ask for."""

from __future__ import annotations

from datetime import timedelta

from bot.blockfile.model import PhaseSpec
from bot.demo.play import Play
from bot.demo.year_start import working


def available(play: Play, *names: str) -> bool:
    """Whether this build of the bot offers the commands (the ranking feature is optional
    for the demo: an older build simply skips these scenes, and the summary says so)."""
    offered = {spec.name for spec in play.stage.runtime.commands}
    return all(name in offered for name in names)


async def look_up(play: Play, k: int, phase: PhaseSpec) -> None:
    """After a phase's appraisal: units look at the ranking and their progress."""
    if not available(play, "ranking", "progress"):
        play.story.gap("ranking: /ranking and /progress are not in this build; "
                       f"the look-ups after {phase.code} were skipped")
        return
    members = play.members()
    first, second = members[k % len(members)], members[(k + 3) % len(members)]
    await play.travel(working(play.stage.clock.local() + timedelta(hours=20)))
    await play.story.scene(
        "Units look at the ranking and at their progress towards the targets",
        "Đại diện các đơn vị xem bảng xếp hạng và mức độ hoàn thành chỉ tiêu (/ranking, "
        "/progress)", first.user_id, second.user_id)
    await play.moves.say(first, f"/ranking {phase.code}")
    await play.moves.say(second, f"/progress {phase.code}", minutes=45)


async def year_end(play: Play) -> None:
    """The bot posted the year's ranking in the group after the last appraisal (once: the
    group is not sent the same ranking twice); the chair looks at it and exports the
    workbook."""
    chair = play.chair
    if not available(play, "ranking", "export"):
        play.story.gap("ranking: /ranking year and /export are not in this build; the "
                       "year's ranking and workbook were skipped")
        return
    await play.travel(working(play.stage.clock.local() + timedelta(days=1, hours=1)))
    await play.story.scene(
        "Year end: the chair looks at the year's ranking (the bot posted it in the group "
        "after the last appraisal) and exports the xlsx",
        "Tổng kết năm: Khối trưởng xem bảng xếp hạng cả năm (bot đã đăng trong nhóm sau khi "
        "thẩm định xong) và xuất bảng tổng hợp kết quả chấm điểm ra tệp Excel (/export)",
        chair.user_id)
    await play.moves.say(chair, "/ranking year")
    await play.moves.say(chair, "/export", minutes=5)
    member = play.members()[0]
    await play.moves.say(member, "/myreport", minutes=30)
