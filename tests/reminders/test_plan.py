"""The reminder planner: offsets, `at`, quiet hours, weekends, time zones, stale times."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.services.reminders.timing import (
    QuietHours,
    ReminderSettings,
    parse_offset,
    parse_quiet_hours,
    plan,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def local(*args: int, tz: ZoneInfo = VN) -> datetime:
    return datetime(*args, tzinfo=tz)


def times(result: list, tz: ZoneInfo = VN) -> list[str]:  # type: ignore[type-arg]
    return [p.fire_at.astimezone(tz).strftime("%a %d/%m %H:%M") for p in result]


def test_day_offsets_fire_at_the_configured_hour() -> None:
    # DOT1 of the example: due 20/06/2023 17:00 (a Tuesday), date-only deadline.
    due = local(2023, 6, 20, 17, 0)
    cfg = ReminderSettings(at=time(8, 0), quiet=None)
    got = plan(due, ["7d", "3d", "1d", "2h"], cfg, VN, LONG_AGO)
    assert times(got) == ["Tue 13/06 08:00", "Sat 17/06 08:00", "Mon 19/06 08:00",
                          "Tue 20/06 15:00"]
    assert [p.offset for p in got] == ["7d", "3d", "1d", "2h"]


def test_weekend_day_offset_moves_to_friday() -> None:
    due = local(2023, 6, 20, 17, 0)
    cfg = ReminderSettings(at=time(8, 0), quiet=None, skip_weekends=True)
    got = plan(due, ["3d", "2h"], cfg, VN, LONG_AGO)
    assert times(got) == ["Fri 16/06 08:00", "Tue 20/06 15:00"]


def test_exact_offsets_are_not_moved_off_weekends() -> None:
    due = local(2023, 6, 18, 17, 0)  # a Sunday
    cfg = ReminderSettings(quiet=None, skip_weekends=True)
    assert times(plan(due, ["2h", "30m"], cfg, VN, LONG_AGO)) == [
        "Sun 18/06 15:00", "Sun 18/06 16:30"]


def test_quiet_hours_move_to_their_end() -> None:
    due = local(2023, 6, 20, 17, 0)
    cfg = ReminderSettings(quiet=QuietHours(time(21, 0), time(7, 0)))
    # 20h before 17:00 is 21:00 the evening before: moves to 07:00.
    assert times(plan(due, ["20h"], cfg, VN, LONG_AGO)) == ["Tue 20/06 07:00"]


def test_quiet_hours_move_to_their_start_when_the_end_is_after_the_deadline() -> None:
    due = local(2023, 6, 20, 6, 30)  # deadline inside the quiet period
    cfg = ReminderSettings(quiet=QuietHours(time(21, 0), time(7, 0)))
    # 2h before = 04:30, inside; 07:00 is after the deadline, so 21:00 the evening before.
    assert times(plan(due, ["2h"], cfg, VN, LONG_AGO)) == ["Mon 19/06 21:00"]


def test_empty_quiet_hours_disable_the_move() -> None:
    assert parse_quiet_hours("") is None
    cfg = ReminderSettings.from_block({"quiet_hours": "", "at": "07:30"})
    assert cfg.quiet is None and cfg.at == time(7, 30)
    due = local(2023, 6, 20, 1, 0)
    assert times(plan(due, ["2h"], cfg, VN, LONG_AGO)) == ["Mon 19/06 23:00"]


def test_stale_times_are_not_planned() -> None:
    due = local(2023, 6, 20, 17, 0)
    now = local(2023, 6, 18, 12, 0)
    cfg = ReminderSettings(quiet=None)
    assert [p.offset for p in plan(due, ["7d", "3d", "1d", "2h"], cfg, VN, now)] == ["1d", "2h"]
    assert plan(due, ["7d"], cfg, VN, due) == []


def test_offsets_landing_on_the_same_moment_fire_once() -> None:
    due = local(2023, 6, 20, 17, 0)
    cfg = ReminderSettings(quiet=None)
    assert len(plan(due, ["9h", "540m"], cfg, VN, LONG_AGO)) == 1


def test_block_time_zone_is_used() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    due = datetime(2023, 6, 20, 17, 0, tzinfo=tokyo)
    cfg = ReminderSettings(at=time(8, 0), quiet=None)
    [got] = plan(due, ["1d"], cfg, tokyo, LONG_AGO)
    assert got.fire_at == datetime(2023, 6, 18, 23, 0, tzinfo=UTC)  # 08:00 JST on 19/06


def test_minute_offsets_for_a_deadline_minutes_away() -> None:
    now = local(2023, 6, 20, 16, 50)
    due = local(2023, 6, 20, 17, 0)
    got = plan(due, ["5m", "2m"], ReminderSettings.from_block({}), VN, now)
    assert times(got) == ["Tue 20/06 16:55", "Tue 20/06 16:58"]


@pytest.mark.parametrize("bad", ["", "7", "d7", "7w", "-1d"])
def test_bad_offsets_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="offset"):
        parse_offset(bad)
