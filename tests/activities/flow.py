"""The moves of this feature's end-to-end tests: a block with its group and every unit's
representative, the card, a unit's invitation, pressing and typing, the clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.outbox.sender import outbox_of
from bot.sandbox import BotApiEmulator, SentMessage
from handlers.activities import run_due
from storage import blocks as blocks_repo
from tests.announce.live import FAST
from tests.e2e.harness import GROUP_ID, BotHarness, Person

WAIT = 20.0
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CODES = ("VPTU", "BTG", "UBKT", "BDV", "DUK", "BTC", "TCT", "BNC", "BBT")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HCM)  # type: ignore[misc]


@dataclass
class Block:
    h: BotHarness
    chair: Person
    reps: dict[str, Person] = field(default_factory=dict)
    unit_ids: dict[str, int] = field(default_factory=dict)

    @property
    def emu(self) -> BotApiEmulator:
        return self.h.emu

    async def idle(self) -> None:
        await asyncio.sleep(0.05)
        await asyncio.wait_for(outbox_of(self.h.app).idle(), WAIT)
        await self.emu.wait_idle(quiet=0.2, timeout=WAIT)

    async def at(self, when: datetime) -> None:
        """Move the clock and send what falls due (as the wake-up would)."""
        self.h.clock.set(when)
        await run_due(self.h.app)
        await self.idle()

    async def press(self, person: Person, message: SentMessage, label: str) -> None:
        mark = self.emu.mark()
        self.emu.press_button_text(person.user_id, message, label)
        await self.emu.wait_for_calls("answerCallbackQuery", after=mark, timeout=WAIT)
        await self.idle()

    async def press_data(self, person: Person, message: SentMessage | int, data: str,
                         chat_id: int | None = None) -> None:
        mark = self.emu.mark()
        self.emu.press_button(person.user_id, message, data, chat_id=chat_id)
        await self.emu.wait_for_calls("answerCallbackQuery", after=mark, timeout=WAIT)
        await self.idle()

    async def say(self, person: Person, text: str) -> SentMessage:
        answer = await self.h.say(person, text)
        await self.idle()
        return answer

    def card(self) -> SentMessage:
        return next(m for m in self.emu.sent_messages(GROUP_ID)
                    if "HOẠT ĐỘNG CHUNG" in (m.text or ""))

    def cards(self) -> list[SentMessage]:
        return [m for m in self.emu.sent_messages(GROUP_ID) if "HOẠT ĐỘNG CHUNG" in (m.text or "")]

    def invitation(self, person: Person, title: str | None = None) -> SentMessage:
        return next(m for m in reversed(self.emu.sent_messages(person.user_id))
                    if "THƯ MỜI" in (m.text or "") and (title is None or title in (m.text or "")))

    def last(self, person: Person) -> SentMessage:
        return self.emu.last_sent(person.user_id)

    def answers(self, person: Person) -> list[str]:
        return [a.text or "" for a in self.emu.callback_answers() if a.user_id == person.user_id]


@asynccontextmanager
async def running_block(tmp_path: Path, block_file: Path,
                        codes: tuple[str, ...] = CODES) -> AsyncIterator[Block]:
    h = BotHarness(tmp_path, block_file=block_file)
    await h.start()
    try:
        outbox_of(h.app).policy = FAST
        h.runtime.notice_edit_intervals = (0.05, 0.05)
        reps = await h.register_all(codes)
        chair = reps["VPTU"]
        h.emu.add_group(GROUP_ID, "Khối thi đua 6", members=[p.user_id for p in reps.values()])
        await h.say(chair, "/bind", chat_id=GROUP_ID)
        async with h.db.read() as conn:
            block = await blocks_repo.get_block_by_code(conn, h.spec.code)
            assert block is not None
            units = (await blocks_repo.load_tree(conn, block)).units
        yield Block(h, chair, reps, {u.code: u.id for u in units})
    finally:
        await h.stop()
