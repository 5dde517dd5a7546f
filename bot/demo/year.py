"""The scripted year, scene after scene, dated from the block file: set-up days before the
first phase, signing before `sign_by`, each phase's reports around its `report_due`."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.demo.play import Play
from bot.demo.year_covenant import publish, signing
from bot.demo.year_notices import meeting_notice, plan_notice
from bot.demo.year_ranking import look_up, year_end
from bot.demo.year_reports import phase_reports
from bot.demo.year_review import appraise
from bot.demo.year_start import chair_and_group, members_register, pledges, working

SETUP_DAYS_AHEAD = 4  # the helper sets the block up a few days before the first phase
SIGNING_WEEKS = timedelta(days=30)  # the covenant goes out about a month before sign_by


def setup_moment(first_phase_start: datetime) -> datetime:
    """When the year starts: a working morning a few days before the first phase."""
    when = first_phase_start - timedelta(days=SETUP_DAYS_AHEAD)
    while when.weekday() >= 5:
        when -= timedelta(days=1)
    return when.replace(hour=9, minute=0)


async def play_year(play: Play) -> None:
    spec, clock = play.spec, play.stage.clock
    first = spec.phases[0]
    today = clock.local()
    await chair_and_group(play, today.replace(hour=9, minute=20))
    await members_register(play, today.replace(hour=10, minute=5))
    await pledges(play, working(play.at(first.start + timedelta(days=3), 9, 15)))

    if spec.covenant is not None:
        sign_by = spec.covenant.sign_by or clock.later(days=45)
        when = working(max(clock.later(days=3), sign_by - SIGNING_WEEKS).astimezone(clock.tz)
                       .replace(hour=9, minute=30))
        await publish(play, when)
        await signing(play, working(clock.local() + timedelta(days=1)))

    await meeting_notice(play, working(clock.local() + timedelta(days=4)).replace(hour=14))
    for k, phase in enumerate(spec.phases):
        if k == 1:
            plan_at = working(play.at(phase.start + timedelta(days=60), 10, 0))
            if plan_at < phase.report_due - timedelta(days=30):
                await plan_notice(play, plan_at)
        await phase_reports(play, k, phase)
        await appraise(play, k, phase)
        if k == 0:  # later in the year they know where to look
            await look_up(play, k, phase)
    await year_end(play)
    last = spec.phases[-1]
    await play.travel(max(play.at(last.end, 17, 30), clock.now()))
    await play.stage.settle()
