"""The simulated year's clock: the bot, the emulator's message dates and the script read it.

A year cannot run in real time, and the bot's own wake-up (bot.wakeup) counts its delays
in real seconds, so it cannot follow a clock that jumps days at a time; so the script moves
this clock and fires what fell due in between (bot.demo.stage.Stage.travel), each row at
its own time, the way the wake-up would have.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.clock import ManualClock


class DemoClock(ManualClock):
    """A ManualClock that also speaks the block's local time."""

    def __init__(self, start: datetime, tz: ZoneInfo) -> None:
        super().__init__(start)
        self.tz = tz

    def timestamp(self) -> float:
        """Seconds since the epoch: what the emulator stamps on messages."""
        return self.now().timestamp()

    def local(self) -> datetime:
        return self.now().astimezone(self.tz)

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        """A local wall-clock moment of the block (aware)."""
        return datetime.combine(day, time(hour, minute), self.tz)

    def later(self, **delta: float) -> datetime:
        return self.now() + timedelta(**delta)
