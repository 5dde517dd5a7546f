"""A fresh database with the example block and representatives, and a scriptable fake bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Chat, Document, Message, PhotoSize

from bot.blockfile import load_block_file
from bot.config import Settings
from bot.outbox import Policy
from bot.outbox.sender import Outbox
from bot.runtime import Runtime
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from bot.texts import catalog
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.records import Block

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"
FAST = Policy(max_attempts=3, backoff_first=0.01, backoff_max=0.05, poll_interval=60)


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns (an error under filterwarnings=error) whenever it builds a RetryAfter,
    # unless it is told to use timedelta already.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")




@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2023, 3, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def runtime(db: Database, clock: ManualClock) -> Runtime:
    return Runtime(settings=Settings(), db=db, clock=clock, texts=catalog())


async def setup_block(db: Database, clock: ManualClock, reps: dict[str, list[int]]) -> Block:
    """The example block, its group bound to -100, and representatives per unit code."""
    await apply_block_spec(db, load_block_file(EXAMPLE), clock)
    async with db.transaction() as conn:
        block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
        assert block is not None
        await blocks_repo.bind_group(conn, block.id, -100)
        for code, users in reps.items():
            unit = await blocks_repo.get_unit_by_code(conn, block.id, code)
            assert unit is not None
            for uid in users:
                await members_repo.add_member(
                    conn, block_id=block.id, unit_id=unit.id, tg_user_id=uid,
                    full_name=f"Người {uid}", username=None, language_code="vi", now=clock.now(),
                )
        fresh = await blocks_repo.get_block(conn, block.id)
    assert fresh is not None
    return fresh


class Fault(Exception):
    """Marks a scripted failure in FakeBot.faults (the exception to raise)."""


@dataclass
class FakeBot:
    """Records every send; `faults[chat_id]` is a list of exceptions raised one per call.

    `delay`: each call takes that long, like a round trip to Telegram; `in_flight` counts
    the calls under way (`max_in_flight` the most at once, `overlaps` the chats that had
    two at once); `on_call` sees each call as it starts, `log` each one's (start, end, chat,
    error or None) in loop time."""

    faults: dict[int, list[Exception]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    on_call: Callable[[dict[str, Any]], None] | None = None
    delay: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    overlaps: set[int] = field(default_factory=set)
    log: list[tuple[float, float, int, str | None]] = field(default_factory=list)
    rate_limiter: Any = None  # a Pacer the worker consults (it does not pace this bot)
    _ids: dict[int, int] = field(default_factory=dict)
    _busy: set[int] = field(default_factory=set)

    def _message(self, chat_id: int, **extra: Any) -> Message:
        self._ids[chat_id] = self._ids.get(chat_id, 0) + 1
        chat = Chat(chat_id, "private" if chat_id > 0 else "supergroup")
        return Message(self._ids[chat_id], datetime(2023, 3, 1, tzinfo=UTC), chat, **extra)

    async def _send(self, method: str, chat_id: int, **params: Any) -> Message:
        if self.delay <= 0:
            return self._answer(method, chat_id, **params)
        loop = asyncio.get_running_loop()
        start = loop.time()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if chat_id in self._busy:
            self.overlaps.add(chat_id)
        self._busy.add(chat_id)
        error = None
        try:
            await asyncio.sleep(self.delay / 2)
            try:
                message = self._answer(method, chat_id, **params)
            except Exception as exc:
                error = type(exc).__name__
                raise
            await asyncio.sleep(self.delay / 2)
            return message
        finally:
            self.in_flight -= 1
            self._busy.discard(chat_id)
            self.log.append((start, loop.time(), chat_id, error))

    def _answer(self, method: str, chat_id: int, **params: Any) -> Message:
        self.calls += 1
        record = {"method": method, "chat_id": chat_id, **params}
        if self.on_call:
            self.on_call(record)
        queue = self.faults.get(chat_id)
        if queue:
            raise queue.pop(0)
        extra: dict[str, Any] = {}
        if method == "send_photo":
            extra["photo"] = (PhotoSize("PHOTO-ID", "u1", 10, 10),)
        if method == "send_document":
            extra["document"] = Document("DOC-ID", "u2")
        message = self._message(chat_id, **extra)
        self.sent.append({**record, "message_id": message.message_id})
        return message

    async def send_message(self, chat_id: int, text: str, **kw: Any) -> Message:
        return await self._send("send_message", chat_id, text=text, **kw)

    async def send_photo(self, chat_id: int, photo: Any, **kw: Any) -> Message:
        return await self._send("send_photo", chat_id, photo=photo, **kw)

    async def send_document(self, chat_id: int, document: Any, **kw: Any) -> Message:
        return await self._send("send_document", chat_id, document=document, **kw)


@pytest.fixture
def fake_bot() -> FakeBot:
    return FakeBot()


@pytest.fixture
async def outbox(runtime: Runtime, fake_bot: FakeBot) -> AsyncIterator[Outbox]:
    box = Outbox(runtime.db, runtime.clock, runtime.texts, fake_bot,  # type: ignore[arg-type]
                 policy=FAST)
    yield box
    await box.close()
