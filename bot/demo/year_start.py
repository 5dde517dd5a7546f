"""The start of the year: registration by invite, the block's group, slogans and targets."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.demo.cast import SLOGANS, Person, pledged_target
from bot.demo.play import Play
from bot.formatting import format_number

WORKDAY = (8, 17)  # local hours people answer their phones for work


def working(when: datetime) -> datetime:
    """`when`, or the start of the next working hours if it falls outside them."""
    while True:
        if when.weekday() >= 5:
            when = (when + timedelta(days=7 - when.weekday())).replace(hour=WORKDAY[0],
                                                                       minute=10)
        elif when.hour < WORKDAY[0]:
            when = when.replace(hour=WORKDAY[0], minute=10)
        elif when.hour >= WORKDAY[1]:
            when = (when + timedelta(days=1)).replace(hour=WORKDAY[0], minute=10)
        else:
            return when


def workday_slots(start: datetime, count: int, step: timedelta) -> list[datetime]:
    """`count` moments from `start` (local time), `step` apart, in working hours."""
    slots: list[datetime] = []
    when = start
    for _ in range(count):
        when = working(when)
        slots.append(when)
        when += step
    return slots


def spread(start: datetime, end: datetime, count: int) -> list[datetime]:
    """`count` moments in working hours from `start` to `end` (local times), spread evenly
    over the working days between them, never before `start` nor after `end`."""
    days = [start.date() + timedelta(days=n) for n in range((end.date() - start.date()).days + 1)]
    days = [d for d in days if d.weekday() < 5] or [start.date()]
    slots: list[datetime] = []
    for i in range(count):
        day = days[min(i * len(days) // count, len(days) - 1)]
        at = datetime.combine(day, time(WORKDAY[0] + i * 5 % 8, 5 + i * 17 % 50), start.tzinfo)
        at = min(max(at, start), end - timedelta(minutes=10 * (count - i)))
        if slots and at <= slots[-1]:
            at = slots[-1] + timedelta(minutes=13)
        slots.append(at)
    return slots


async def register(play: Play, person: Person) -> None:
    """Open the unit's invite link: Telegram sends /start with the link's token."""
    await play.moves.say(person, f"/start {play.tokens[person.code]}", minutes=0.5)


async def chair_and_group(play: Play, when: datetime) -> None:
    chair = play.chair
    await play.travel(when)
    await play.story.scene(
        f"{chair.name} ({chair.unit.name}) opens the chair unit's invite link",
        f"{chair.name} ({chair.unit.name}, Khối trưởng) mở đường dẫn mời và đăng ký",
        chair.user_id)
    await register(play, chair)
    await play.moves.say(chair, "/help")

    await play.travel(when + timedelta(minutes=25))
    await play.story.scene(
        "The chair adds the bot to the block's group as an administrator (so it can pin the "
        "progress message) and binds it with /bind",
        "Khối trưởng thêm bot vào nhóm Telegram của Khối, cấp quyền quản trị (để bot ghim "
        "tin nhắn tiến độ) và liên kết nhóm bằng lệnh /bind", play.group_id)
    emu = play.stage.emu
    emu.add_group(play.group_id, f"{play.spec.name} – năm {play.spec.year}", supergroup=True,
                  members=[p.user_id for p in play.people.values()],
                  creator=chair.user_id, bot_is_member=False)
    emu.add_bot_to_group(play.group_id, chair.user_id)
    # A supergroup lets only administrators pin (Telegram's "Pin messages" right).
    emu.set_member_status(play.group_id, int(emu.bot_user["id"]), "administrator")
    await play.stage.settle()
    await play.moves.say(chair, "/bind", chat_id=play.group_id)


async def members_register(play: Play, start: datetime) -> None:
    await play.travel(start)
    await play.story.scene(
        "The units' representatives open their invite links",
        "Đại diện các đơn vị mở đường dẫn mời của đơn vị mình để đăng ký",
        *[p.user_id for p in play.members()])
    members = play.members()
    until = working(start + timedelta(days=1)).replace(hour=16, minute=30)
    for n, (person, when) in enumerate(zip(members, spread(start, until, len(members)),
                                           strict=True)):
        await play.travel(when)
        await register(play, person)
        if n % 3 == 0:
            await play.moves.say(person, "/status")
    first = members[0]
    await play.moves.say(first, "/status", chat_id=play.group_id)


async def pledges(play: Play, start: datetime) -> None:
    """Some units register their slogan and their own, higher targets (/pledge)."""
    await play.travel(start)
    pledgers = [play.of(u) for u in play.roles.pledgers]
    await play.story.scene(
        "Units register their slogans and targets (/pledge)",
        "Các đơn vị đăng ký chủ đề và chỉ tiêu thi đua của đơn vị (/pledge)",
        *[p.user_id for p in pledgers])
    measured = play.criteria("number", "percent")
    for n, (person, when) in enumerate(zip(pledgers, workday_slots(
            start, len(pledgers), timedelta(hours=26)), strict=True)):
        await play.travel(when)
        view = await play.moves.say(person, "/pledge")
        if n != 1:  # the second unit keeps the slogan of the block file, if any
            view = await play.moves.press(person, view, play.label("pledge-button-slogan"))
            view = await play.moves.say(person, SLOGANS[n % len(SLOGANS)], minutes=3)
        if n == 1 or not measured:
            continue
        which = (n // 2) % len(measured)
        target = pledged_target(measured[which], person.unit)
        if target is None:
            continue
        view = await play.moves.press(person, view,
                                      play.label("pledge-button-target", n=which + 1))
        await play.moves.say(person, format_number(target, play.spec.language))
        play.own_targets[(person.code, measured[which].code)] = target
