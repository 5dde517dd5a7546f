"""«⏰ Nhắc lại sau» as a service: when the reminder comes again (two hours, the next working
morning, never after the deadline), who may snooze what, and the snoozed reminder itself
(sent once, as things stand then; dropped when done meanwhile or reminded since)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, timedelta

from bot.buttons import from_json
from bot.services.reminders.callbacks import SnoozePress, parse_snooze, snooze_data
from bot.services.reminders.snooze import Snoozed, send_due_snoozes, snooze, snooze_until
from storage import outbox as outbox_repo
from storage import reminders as reminders_repo
from storage import reports as reports_repo
from storage.reminders import next_due_at
from storage.reminders import snoozes as snoozes_repo
from storage.reports.records import ReportState
from tests.reports.conftest import BBT2_TG, BBT_TG, CHAIR_TG, UBKT_TG, World, local
from tests.reports.helpers import fill, submit


def block_with(world: World, **reminders: object):  # type: ignore[no-untyped-def]
    settings = {**world.block.settings,
                "reminders": {**(world.block.settings.get("reminders") or {}), **reminders}}
    return dataclasses.replace(world.block, settings=settings)


def test_two_hours_later_inside_working_hours(world: World) -> None:
    now = local(2023, 6, 13, 9, 30)
    assert snooze_until(now, None, world.block) == local(2023, 6, 13, 11, 30).astimezone(UTC)


def test_after_the_working_day_it_waits_for_the_next_morning(world: World) -> None:
    # 16:00 + 2 h = 18:00, after 17:00: the next morning at the block's reminder time
    assert snooze_until(local(2023, 6, 13, 16, 0), None, world.block) == local(
        2023, 6, 14, 8, 0).astimezone(UTC)
    # 22:30 (quiet hours): 08:00 the next day, not 00:30
    assert snooze_until(local(2023, 6, 13, 22, 30), None, world.block) == local(
        2023, 6, 14, 8, 0).astimezone(UTC)
    # 01:00 after midnight: the same day's morning
    assert snooze_until(local(2023, 6, 14, 1, 0), None, world.block) == local(
        2023, 6, 14, 8, 0).astimezone(UTC)


def test_weekends_are_skipped_when_the_block_skips_them(world: World) -> None:
    friday = local(2023, 6, 16, 16, 0)  # the example block skips weekends
    assert snooze_until(friday, None, world.block) == local(2023, 6, 19, 8, 0).astimezone(UTC)
    weekdays_too = block_with(world, skip_weekends=False)
    assert snooze_until(friday, None, weekdays_too) == local(2023, 6, 17, 8, 0).astimezone(UTC)


def test_never_after_the_deadline(world: World) -> None:
    due = local(2023, 6, 20, 17, 0)
    # 15:00 + 2 h would be the deadline itself: half an hour before it instead
    assert snooze_until(local(2023, 6, 20, 15, 0), due, world.block) == local(
        2023, 6, 20, 16, 30).astimezone(UTC)
    # 16:00 on the eve: not tomorrow 08:00 past a 07:30 deadline, but 07:00
    early = local(2023, 6, 21, 7, 30)
    assert snooze_until(local(2023, 6, 20, 16, 0), early, world.block) == local(
        2023, 6, 21, 7, 0).astimezone(UTC)
    # Twenty minutes before the deadline nothing later helps
    assert snooze_until(local(2023, 6, 20, 16, 40), due, world.block) is None


def test_callback_data_round_trips_and_fits() -> None:
    for kind in ("report", "sign", "returned"):
        data = snooze_data(kind, 10**18 - 1)  # type: ignore[arg-type]
        assert len(data.encode()) <= 64
        assert parse_snooze(data) == SnoozePress(kind, 10**18 - 1)  # type: ignore[arg-type]
    for bad in ("rm:z:x:1", "rm:z:r:", "rm:z:r:1:2", "rm:z:r:" + "9" * 19, "rm:z:r:١"):
        assert parse_snooze(bad) is None


async def test_a_snoozed_report_reminder_comes_once(world: World) -> None:
    phase = world.phase("DOT1")
    world.clock.set(local(2023, 6, 13, 9, 0))
    result = await snooze(world.db, world.clock, tg_user_id=BBT_TG,
                          press=SnoozePress("report", phase.id))
    assert result.outcome is Snoozed.PLANNED
    assert result.until == local(2023, 6, 13, 11, 0).astimezone(UTC)
    async with world.db.read() as conn:
        assert await next_due_at(conn) == result.until  # the wake-up comes for it
    # Pressed again later: the same row moves, it does not double
    world.clock.set(local(2023, 6, 13, 10, 0))
    again = await snooze(world.db, world.clock, tg_user_id=BBT_TG,
                         press=SnoozePress("report", phase.id))
    assert again.until == local(2023, 6, 13, 12, 0).astimezone(UTC)
    world.clock.set(local(2023, 6, 13, 11, 30))
    assert await send_due_snoozes(world.db, world.clock, world.texts) == 0  # not yet
    world.clock.set(local(2023, 6, 13, 12, 0))
    assert await send_due_snoozes(world.db, world.clock, world.texts) == 1
    assert await send_due_snoozes(world.db, world.clock, world.texts) == 0  # once
    async with world.db.read() as conn:
        [row] = await outbox_repo.batch_rows(conn, f"snooze:{world.block.id}")
        [kept] = await snoozes_repo.snoozes_of(conn, world.block.id)
    assert row.chat_id == BBT_TG and kept.state == "sent"  # only the one who pressed
    text = row.parts[0]["text"]
    assert "Nhắc lại theo yêu cầu" in text and "Báo Bình Thuận" in text
    assert "tiêu chí chưa nhập:\n(1) Hoàn thành nhiệm vụ chính trị" in text
    assert "NV_CHINH_TRI" not in text  # names, not codes
    labels = [b.label for line in from_json(row.reply_markup) for b in line]
    assert labels == ["📝 Mở báo cáo", "⏰ Nhắc lại sau"]


async def test_done_meanwhile_nothing_is_sent(world: World) -> None:
    phase = world.phase("DOT1")
    world.clock.set(local(2023, 6, 13, 9, 0))
    await snooze(world.db, world.clock, tg_user_id=BBT2_TG, press=SnoozePress("report", phase.id))
    await fill(world, "BBT")
    await submit(world, "BBT")
    world.clock.set(local(2023, 6, 13, 11, 0))
    assert await send_due_snoozes(world.db, world.clock, world.texts) == 0
    async with world.db.read() as conn:
        [kept] = await snoozes_repo.snoozes_of(conn, world.block.id)
    assert kept.state == "dropped"
    # and once it is in, a new press says there is nothing to remind of
    late = await snooze(world.db, world.clock, tg_user_id=BBT_TG,
                        press=SnoozePress("report", phase.id))
    assert late.outcome is Snoozed.NOTHING


async def test_only_a_representative_who_owes_it_may_snooze(world: World) -> None:
    phase = world.phase("DOT1")
    stranger = await snooze(world.db, world.clock, tg_user_id=987654,
                            press=SnoozePress("report", phase.id))
    assert stranger.outcome is Snoozed.REFUSED
    unknown_phase = await snooze(world.db, world.clock, tg_user_id=UBKT_TG,
                                 press=SnoozePress("report", 10**17))
    assert unknown_phase.outcome is Snoozed.REFUSED
    no_report = await snooze(world.db, world.clock, tg_user_id=CHAIR_TG,
                             press=SnoozePress("returned", 10**17))
    assert no_report.outcome is Snoozed.REFUSED
    world.clock.set(phase.report_due - timedelta(minutes=20))
    close = await snooze(world.db, world.clock, tg_user_id=UBKT_TG,
                         press=SnoozePress("report", phase.id))
    assert close.outcome is Snoozed.TOO_CLOSE and close.deadline == phase.report_due


async def test_a_returned_report_is_snoozed_until_it_comes_back(world: World) -> None:
    await fill(world, "BBT")
    result = await submit(world, "BBT")
    assert result.view is not None and result.view.report is not None
    report_id = result.view.report.id
    press = SnoozePress("returned", report_id)
    assert (await snooze(world.db, world.clock, tg_user_id=BBT_TG, press=press)).outcome \
        is Snoozed.NOTHING  # submitted, not returned: nothing to remind of
    async with world.db.transaction() as conn:
        await reports_repo.set_report_fields(conn, report_id, state=ReportState.RETURNED,
                                             return_reason="Thiếu minh chứng")
    planned = await snooze(world.db, world.clock, tg_user_id=BBT_TG, press=press)
    assert planned.outcome is Snoozed.PLANNED and planned.until is not None
    # UBKT's representative cannot snooze BBT's returned report
    assert (await snooze(world.db, world.clock, tg_user_id=UBKT_TG, press=press)).outcome \
        is Snoozed.REFUSED
    world.clock.set(planned.until)
    assert await send_due_snoozes(world.db, world.clock, world.texts) == 1
    async with world.db.read() as conn:
        [row] = await outbox_repo.batch_rows(conn, f"snooze:{world.block.id}")
    assert "đã được Khối trưởng trả lại" in row.parts[0]["text"]
    assert "Thiếu minh chứng" in row.parts[0]["text"]
    labels = [b.label for line in from_json(row.reply_markup) for b in line]
    assert labels == ["📝 Mở báo cáo", "⏰ Nhắc lại sau"]


async def test_a_scheduled_round_since_the_snooze_stands_for_it(world: World) -> None:
    phase = world.phase("DOT1")
    world.clock.set(local(2023, 6, 16, 7, 0))  # before the "3d" round at 08:00
    planned = await snooze(world.db, world.clock, tg_user_id=UBKT_TG,
                           press=SnoozePress("report", phase.id))
    assert planned.until == local(2023, 6, 16, 9, 0).astimezone(UTC)
    async with world.db.transaction() as conn:  # the 08:00 round went out meanwhile
        row_id = await reminders_repo.add_manual(conn, world.block.id, "report", phase.code,
                                                 phase.report_due, local(2023, 6, 16, 8, 0))
        await reminders_repo.claim(conn, row_id, "sent", local(2023, 6, 16, 8, 0))
    world.clock.set(local(2023, 6, 16, 9, 0))
    assert await send_due_snoozes(world.db, world.clock, world.texts) == 0
    async with world.db.read() as conn:
        [kept] = await snoozes_repo.snoozes_of(conn, world.block.id)
    assert kept.state == "dropped"
