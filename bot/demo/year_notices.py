"""The chair's notices with "received" tracking: a text, later a plan as a PDF."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.demo.play import Play
from bot.demo.year_start import workday_slots
from bot.sandbox import SentMessage

MEETING = (
    "Kính gửi các đơn vị thành viên Khối thi đua.\n\n"
    "Văn phòng Khối trưởng trân trọng thông báo: Hội nghị giao ban Khối quý I sẽ tổ chức "
    "lúc 08 giờ 00 sáng thứ Sáu tuần tới tại Hội trường Văn phòng Tỉnh ủy.\n"
    "Đề nghị mỗi đơn vị cử 01 lãnh đạo và 01 cán bộ làm công tác thi đua tham dự, "
    "chuẩn bị ý kiến về kế hoạch hoạt động chung của Khối năm nay.\n\n"
    "Trân trọng."
)
PLAN_CAPTION = (
    "Kính gửi các đơn vị: Văn phòng Khối trưởng gửi Kế hoạch tổ chức Hội thao Khối. "
    "Đề nghị các đơn vị nghiên cứu, đăng ký danh sách vận động viên trước ngày 15/9."
)
ACK = "✅"


def _copy(play: Play, chat_id: int) -> SentMessage:
    """The newest notice in a chat that carries the «✅ Đã nhận» button."""
    return play.moves.with_button(chat_id, play.label("announce-btn-ack"))


async def _send_panel(play: Play) -> None:
    await play.moves.press_newest(play.chair, play.label("announce-btn-send"), minutes=2)


async def meeting_notice(play: Play, when: datetime) -> None:
    chair = play.chair
    await play.travel(when)
    await play.story.scene(
        "The chair sends a notice that asks every unit to confirm «✅ Đã nhận»",
        "Khối trưởng gửi thông báo họp giao ban, yêu cầu các đơn vị bấm «✅ Đã nhận»",
        chair.user_id, play.group_id)
    await play.moves.say(chair, f"/announce {MEETING}", minutes=6)
    await _send_panel(play)

    silent = {u.code for u in play.roles.silent}
    acking = [p for p in play.members() if p.code not in silent]
    slots = workday_slots(play.stage.clock.local() + timedelta(minutes=7), len(acking),
                          timedelta(minutes=41))
    for person, at in zip(acking, slots, strict=True):
        await play.travel(at)
        in_group = person.code == play.roles.group_acker.code
        where = play.group_id if in_group else person.user_id
        await play.moves.press(person, _copy(play, where), ACK)

    await play.travel(play.stage.clock.later(days=1))
    await play.story.scene(
        "The chair checks who confirmed and reminds the others",
        "Khối trưởng xem đơn vị nào đã xác nhận và nhắc lại các đơn vị chưa xác nhận",
        chair.user_id)
    listing = await play.moves.say(chair, "/announcements")
    detail = await play.moves.press(chair, listing, "#")
    await play.moves.press(chair, detail, "🔔")
    for code in sorted(silent)[:1]:
        person = play.people[code]
        await play.travel(play.stage.clock.later(hours=1))
        await play.moves.press(person, _copy(play, person.user_id), ACK)


async def plan_notice(play: Play, when: datetime) -> None:
    """A notice with a PDF attached: the chair sends the file after /announce."""
    chair = play.chair
    await play.travel(when)
    await play.story.scene(
        "The chair sends the plan of the block's sports day as a PDF",
        "Khối trưởng gửi Kế hoạch tổ chức Hội thao của Khối (tệp PDF) đến các đơn vị",
        chair.user_id, play.group_id)
    await play.moves.say(chair, "/announce")
    await play.moves.document(chair, play.media.plan_pdf, filename="ke-hoach-hoi-thao.pdf",
                              mime_type="application/pdf", caption=PLAN_CAPTION)
    await _send_panel(play)
    acking = play.members()[: max(1, len(play.members()) - 2)]
    slots = workday_slots(play.stage.clock.local() + timedelta(minutes=12), len(acking),
                          timedelta(minutes=67))
    for person, at in zip(acking, slots, strict=True):
        await play.travel(at)
        await play.moves.press(person, _copy(play, person.user_id), ACK)
