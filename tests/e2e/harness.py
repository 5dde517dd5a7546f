"""Drive the real bot (factory, PTB networking, database) through the offline Bot API.

`BotHarness` starts the emulator, writes the example block into a fresh database, starts
the application exactly as `thidua-bot run` does (long polling by default, or a webhook),
and offers the moves people make: register by invite, send a command, press a button.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import lifecycle
from bot.blockfile import BlockSpec, load_block_file
from bot.config import Settings, load_settings
from bot.factory import build_application
from bot.outbox.sender import outbox_of
from bot.runtime import Runtime, runtime_of
from bot.sandbox import BotApiEmulator, SentMessage
from bot.services.clock import ManualClock
from bot.services.registration.invites import issue_invites
from bot.services.setup import apply_block_spec
from bot.wakeup import wakeup_of
from bot.webhook import WebhookServer, start_webhook
from handlers.context import BotApplication
from storage.db import Database
from storage.migrate import upgrade_database

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_BLOCK = REPO / "deploy" / "examples" / "khoi-thi-dua-6.toml"
ADMIN_ID = 900_000_001
GROUP_ID = -100_777_000
# The example block's phase 1 runs from 01/01 to 30/06/2023: a quiet day inside it.
DEFAULT_NOW = datetime(2023, 2, 1, 2, 0, tzinfo=UTC)
WEBHOOK_SECRET = "harness-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Person:
    user_id: int
    name: str
    unit_code: str | None = None


@dataclass
class BotHarness:
    tmp_path: Path
    block_file: Path = EXAMPLE_BLOCK
    now: datetime = DEFAULT_NOW
    webhook: bool = False
    automatic_reminders: bool = False
    env: dict[str, Any] = field(default_factory=dict)
    emu: BotApiEmulator = field(init=False)
    app: BotApplication = field(init=False)
    clock: ManualClock = field(init=False)
    spec: BlockSpec = field(init=False)
    webhook_url: str | None = field(init=False, default=None)
    webhook_server: WebhookServer | None = field(init=False, default=None)
    _next_user: int = field(init=False, default=1000)

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.app)

    @property
    def db(self) -> Database:
        return self.runtime.db

    def settings(self) -> Settings:
        return load_settings(
            BOT_TOKEN=self.emu.token,
            BOT_API_URL=self.emu.url,
            DATABASE_URL=f"sqlite+aiosqlite:///{self.tmp_path}/bot.db",
            BOT_ADMIN_IDS=str(ADMIN_ID),
            EVIDENCE_DIR=str(self.tmp_path / "evidence"),
            **self.env,
        )

    async def start(self) -> BotHarness:
        self.emu = BotApiEmulator()
        await self.emu.start()
        self.clock = ManualClock(self.now)
        self.spec = load_block_file(self.block_file)
        settings = self.settings()
        db = Database(settings.database_url)
        try:
            await upgrade_database(db)
            await apply_block_spec(db, self.spec, self.clock)
        finally:
            await db.close()
        await self.start_bot(settings)
        return self

    async def start_bot(self, settings: Settings | None = None) -> None:
        self.app = build_application(settings or self.settings(), clock=self.clock)
        if self.webhook:
            await self.app.initialize()
            if self.app.post_init is not None:
                await self.app.post_init(self.app)
            port = free_port()
            self.webhook_url = f"http://127.0.0.1:{port}/hook"
            # The bot's own webhook server, as `thidua-bot run` starts it (bot.serve).
            self.webhook_server = await start_webhook(
                self.app, listen="127.0.0.1", port=port, url_path="hook",
                webhook_url=self.webhook_url, secret_token=WEBHOOK_SECRET,
            )
            await self.app.start()
        else:
            await lifecycle.start_polling(self.app)
        if not self.automatic_reminders:
            # The wake-up reads the manual clock at real-time moments, which would make
            # reminders arrive in the middle of unrelated tests; those that test reminders
            # call handlers.reminders.run_reminders themselves.
            wakeup_of(self.app).stop()

    async def stop_bot(self) -> None:
        if self.webhook_server is not None:
            await self.webhook_server.stop()
            self.webhook_server = None
        await lifecycle.stop(self.app)

    async def stop(self) -> None:
        try:
            await self.stop_bot()
        finally:
            await self.emu.stop()

    # --- people -------------------------------------------------------------------------

    def person(self, name: str, *, user_id: int | None = None, language: str = "vi") -> Person:
        if user_id is None:
            self._next_user += 1
            user_id = self._next_user
        self.emu.add_user(user_id, name, language_code=language)
        return Person(user_id, name)

    async def invite_token(self, unit_code: str, *, uses: int = 3, days: int = 30) -> str:
        [issued] = await issue_invites(
            self.db, self.clock, block_code=self.spec.code, unit_code=unit_code,
            uses=uses, days=days,
        )
        return issued.token

    async def register(self, unit_code: str, name: str | None = None) -> Person:
        """A representative opens their unit's invite link and presses Start."""
        person = self.person(name or f"Đại diện {unit_code}")
        token = await self.invite_token(unit_code)
        await self.say(person, f"/start {token}")
        # The chair is told of each registration through the outbox; let that land now so
        # it never arrives in the middle of what a test says to the chair next.
        await self.settle()
        person.unit_code = unit_code
        return person

    async def settle(self, *, quiet: float = 0) -> None:
        """Until the outbox has sent everything queued so far (also what a test queued
        through the services directly, which no handler woke the outbox for); with
        `quiet`, also until the emulator has seen no call for that many seconds (for what
        the bot sends outside the outbox, or just after it)."""
        outbox = outbox_of(self.app)
        outbox.wake()
        await asyncio.wait_for(outbox.idle(), timeout=20)
        if quiet:
            await self.emu.wait_idle(quiet=quiet)

    async def handlers_done(self) -> None:
        """Until the handlers running with block=False (charts, exports) have finished: a
        chart reaches the chat before its handler caches the picture's file id."""
        if pending := lifecycle.pending_app_tasks(self.app):
            await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 20)

    async def register_all(self, codes: Iterable[str] | None = None) -> dict[str, Person]:
        wanted = list(codes) if codes is not None else [u.code for u in self.spec.units]
        return {code: await self.register(code) for code in wanted}

    async def bind_group(self, chair: Person, chat_id: int = GROUP_ID) -> SentMessage:
        if chat_id not in self.emu.chats():
            self.emu.add_group(chat_id, "Khối thi đua 6", members=[chair.user_id])
        return await self.say(chair, "/bind", chat_id=chat_id)

    # --- talking ------------------------------------------------------------------------

    async def say(self, person: Person, text: str, *, chat_id: int | None = None) -> SentMessage:
        """Send a message and return the bot's first answer in that chat."""
        mark = self.emu.mark()
        self.emu.send_text(person.user_id, text, chat_id=chat_id)
        return await self.emu.wait_for_message(chat_id or person.user_id, after=mark)

    async def press(
        self, person: Person, message: SentMessage | int, data: str, *, chat_id: int | None = None
    ) -> None:
        """Press a button (or forge a press) and wait until the bot has answered it."""
        mark = self.emu.mark()
        self.emu.press_button(person.user_id, message, data, chat_id=chat_id)
        await self.emu.wait_for_calls("answerCallbackQuery", after=mark)

    def texts(self, chat_id: int) -> list[str]:
        return [m.text or m.caption or "" for m in self.emu.sent_messages(chat_id)]
