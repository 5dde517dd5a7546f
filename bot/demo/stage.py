"""The stage: the offline Bot API emulator and the real bot (bot.factory) on a temporary
database, a simulated clock, and the two waits the script needs — "the bot has done
everything it was asked" (settle) and "time passes" (travel, firing due reminders).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot import lifecycle
from bot.blockfile import BlockSpec
from bot.config import Settings, load_settings
from bot.demo.clock import DemoClock
from bot.factory import build_application
from bot.outbox.sender import outbox_of
from bot.runtime import Runtime, runtime_of
from bot.sandbox import BotApiEmulator
from handlers.context import BotApplication
from handlers.reminders import run_reminders
from storage import reminders as reminders_repo
from storage.db import Database
from storage.reminders import ReminderRow

BOT_USERNAME = "thidua_khoi_bot"
BOT_NAME = "Trợ lý Thi đua"
SETTLE_TIMEOUT = 30.0  # seconds; a bot this quiet for so long is stuck, not busy
POLL_STEP = 0.002
# The announcement counter in the group is edited at most every few real seconds, which
# in a year that runs in seconds would lag whole weeks behind; the demo edits at once.
EDIT_INTERVALS = (0.0, 0.0)


class DemoError(RuntimeError):
    """The bot did not do what the script expected; the message says what and where."""


@dataclass
class Fired:
    """One reminder row the clock passed, as the bot's wake-up would have sent it."""

    row: ReminderRow
    at: datetime


@dataclass
class Stage:
    spec: BlockSpec
    workdir: Path
    clock: DemoClock
    emu: BotApiEmulator = field(init=False)
    app: BotApplication = field(init=False)
    # Told of each reminder round as it fires (the storyline narrates it).
    on_fired: Callable[[list[Fired]], None] | None = None

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.app)

    @property
    def db(self) -> Database:
        return self.runtime.db

    def settings(self) -> Settings:
        # _env_file=None: a chair's real .env (token, admin ids) must not leak into the demo.
        return load_settings(
            _env_file=None,
            BOT_TOKEN=self.emu.token,
            BOT_API_URL=self.emu.url,
            DATABASE_URL=f"sqlite+aiosqlite:///{self.workdir / 'demo.db'}",
            BOT_ADMIN_IDS="",
            BOT_TIMEZONE=self.spec.timezone,
            BOT_LANGUAGE=self.spec.language,
            EVIDENCE_DIR=str(self.workdir / "evidence"),
            WEBHOOK_URL="",
        )

    async def open_emulator(self) -> None:
        self.emu = BotApiEmulator(bot_username=BOT_USERNAME, bot_name=BOT_NAME,
                                  now=self.clock.timestamp)
        await self.emu.start()

    async def start_bot(self) -> None:
        """Start the application the way `thidua-bot run` does (long polling)."""
        # Telegram's limits (~30 messages/s, ~20/min into a group) are real-time limits; a
        # year played in seconds would spend minutes waiting on them, so the demo lifts
        # them.
        self.app = build_application(
            self.settings(), clock=self.clock, overall_max_rate=0, group_max_rate=0
        )
        self.runtime.notice_edit_intervals = EDIT_INTERVALS
        await lifecycle.start_polling(self.app)

    async def stop(self) -> None:
        app = getattr(self, "app", None)
        try:
            if app is not None:
                await lifecycle.stop(app)
        finally:
            if hasattr(self, "emu"):
                await self.emu.stop()

    # --- waiting ------------------------------------------------------------------------

    def _app_tasks(self) -> set[asyncio.Task[object]]:
        """Tasks the application started: handlers with block=False (charts, exports),
        hooks (the ranking post after /review done), outbox lanes, as the factory's
        TrackedApplication keeps them; the demo awaits them after every move, so nothing
        the bot does lands after the clock has moved on."""
        return lifecycle.pending_app_tasks(self.app)

    async def settle(self) -> None:
        """Until every update users sent is handled and everything it started is done."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        outbox = outbox_of(self.app)
        while True:
            # An update leaves the emulator's queue once the bot has put it on its own.
            while self.emu.pending_updates():
                if loop.time() > deadline:
                    raise DemoError(f"the bot stopped fetching updates\n{self.emu.journal.dump()}")
                await asyncio.sleep(POLL_STEP)
            try:
                async with asyncio.timeout(max(deadline - loop.time(), 0.1)):
                    await self.app.update_queue.join()
                    if tasks := self._app_tasks():
                        await asyncio.wait(tasks)
                    await outbox.idle()
            except TimeoutError:
                raise DemoError(f"the bot is still busy after {SETTLE_TIMEOUT:g} s\n"
                                f"{self.emu.journal.dump()}") from None
            await asyncio.sleep(0)  # let what the last step scheduled start
            if not (self.emu.pending_updates() or not self.app.update_queue.empty()
                    or outbox.busy or self._app_tasks()):
                return

    async def travel(self, when: datetime) -> None:
        """Move the clock forward to `when`, firing every reminder that falls due on the way
        at its own time, as the bot's wake-up would have."""
        while True:
            async with self.db.read() as conn:
                due_at = await reminders_repo.next_due_at(conn)
                if due_at is None or due_at > when:
                    break
                due = await reminders_repo.due(conn, due_at)
            if due_at > self.clock.now():
                self.clock.set(due_at)
            await run_reminders(self.app)
            await self.settle()
            if self.on_fired is not None:
                self.on_fired([Fired(row, self.clock.now()) for row in due])
            async with self.db.read() as conn:
                still = await reminders_repo.next_due_at(conn)
            if still is not None and still <= due_at:
                raise DemoError(f"reminder due at {due_at} did not fire")
        if when > self.clock.now():
            self.clock.set(when)

    async def pass_minutes(self, minutes: float) -> None:
        await self.travel(self.clock.later(minutes=minutes))
