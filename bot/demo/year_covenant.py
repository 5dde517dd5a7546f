"""The covenant: the chair publishes it, the units sign, one only after the bot's reminder."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.demo.cast import SLOGANS, Person
from bot.demo.moves import has_button
from bot.demo.play import Play
from bot.demo.stage import DemoError
from bot.demo.year_start import spread
from bot.sandbox import SentMessage
from storage import reminders as reminders_repo


async def publish(play: Play, when: datetime) -> None:
    chair = play.chair
    await play.travel(when)
    await play.story.scene(
        "The chair previews the covenant and publishes it to every unit",
        "Khối trưởng xem trước và phát hành giao ước thi đua đến các đơn vị",
        chair.user_id, play.group_id)
    preview = await play.moves.say(chair, "/covenant publish")
    await play.moves.press(chair, preview, play.label("covenant-button-publish"), minutes=2)


async def sign(play: Play, person: Person, *, by_command: bool = False,
               register_first: bool = False) -> None:
    """Press «✍️ Ký giao ước» under the covenant (or type /sign), then «Xác nhận ký»; a
    unit that has not registered its slogan or targets is warned and presses «Vẫn ký»,
    or (`register_first`) «Đăng ký chủ đề, chỉ tiêu», types its slogan and signs from
    there."""
    if by_command:
        prompt = await play.moves.say(person, "/sign")
    else:
        prompt = await play.moves.press_newest(person, play.label("covenant-button-sign"),
                                               minutes=6)
    pledge = play.label("covenant-button-pledge")
    if register_first and has_button(prompt, pledge):
        view = await play.moves.press(person, prompt, pledge)
        view = await play.moves.press(person, view, play.label("pledge-button-slogan"))
        view = await play.moves.say(person, SLOGANS[-1], minutes=3)
        prompt = await play.moves.press(person, view, play.label("covenant-button-sign"))
    await _confirm(play, person, prompt)


async def _confirm(play: Play, person: Person, prompt: SentMessage) -> None:
    """«✍️ Xác nhận ký», or «✍️ Vẫn ký» under the warning of an incomplete pledge."""
    confirm = play.label("covenant-button-confirm")
    if not has_button(prompt, confirm):
        confirm = play.label("covenant-button-sign-anyway")
    await play.moves.press(person, prompt, confirm)


async def first_sign_reminder(play: Play) -> datetime | None:
    """When the bot will first remind units that have not signed (from its own plan)."""
    async with play.stage.db.read() as conn:
        rows = await reminders_repo.upcoming(conn, play.block_id, play.stage.clock.now())
    times = [r.due_at for r in rows if r.kind == "sign"]
    return min(times) if times else None


async def signing(play: Play, start: datetime) -> None:
    """Every unit signs over the following weeks; the late one waits for the reminder."""
    late = play.of(play.roles.late_signer)
    reminder = await first_sign_reminder(play)
    on_time = [p for p in play.people.values() if p.code != late.code]
    tz = play.stage.clock.tz
    until = (reminder - timedelta(days=1)) if reminder else start + timedelta(days=21)
    await play.travel(start)
    await play.story.scene(
        "The units read the covenant and sign it for their unit",
        "Các đơn vị xem nội dung giao ước và ký kết thay mặt đơn vị",
        play.group_id, *[p.user_id for p in on_time])
    slots = spread(start.astimezone(tz), until.astimezone(tz), len(on_time))
    for n, (person, when) in enumerate(zip(on_time, slots, strict=True)):
        await play.travel(when)
        if n == 2:
            await play.moves.say(person, "/covenant")
        if n == 3:
            await play.story.scene(
                f"{person.unit.name} is warned it has not registered its slogan and "
                "registers it before signing",
                f"{person.unit.name} được nhắc chưa đăng ký chủ đề, chỉ tiêu; đơn vị bấm "
                "«Đăng ký chủ đề, chỉ tiêu», nhập chủ đề rồi ký", person.user_id)
        await sign(play, person, by_command=n == 4, register_first=n == 3)

    if reminder is not None:
        await play.travel(reminder)  # the bot reminds the unit that has not signed
        after = reminder + timedelta(hours=2, minutes=10)
    else:
        after = play.stage.clock.later(days=1)
    await play.travel(after)
    await play.story.scene(
        f"{late.unit.name} signs after the reminder: the covenant is complete",
        f"{late.unit.name} ký sau khi được nhắc; Khối hoàn tất ký kết giao ước",
        late.user_id, play.group_id)
    await sign(play, late)
    closed = play.label("covenant-group-closed", total=len(play.people), title="",
                        lines="").split("  ")[0].split("\n")[0].strip()
    if not any(closed[:20] in (m.text or "") for m in play.stage.emu.sent_messages(
            play.group_id)):
        raise DemoError("the group did not get the closing message of the covenant")
    await play.moves.say(play.chair, "/covenant status", chat_id=play.group_id, minutes=20)
