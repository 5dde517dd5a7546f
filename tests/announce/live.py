"""The lead's BotHarness with the example block, its group and nine representatives, plus
the moves of this feature: compose a notice and send it, press "received"."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.outbox import Policy
from bot.outbox.sender import outbox_of
from bot.sandbox import BotApiEmulator, Mark, SentMessage
from tests.e2e.harness import GROUP_ID, BotHarness, Person

FAST = Policy(max_attempts=4, backoff_first=0.05, backoff_max=0.2, poll_interval=60)
WAIT = 20.0
CODES = ("VPTU", "BTG", "UBKT", "BDV", "DUK", "BTC", "TCT", "BNC", "BBT")


@dataclass
class Block:
    h: BotHarness
    chair: Person
    reps: dict[str, Person] = field(default_factory=dict)

    @property
    def emu(self) -> BotApiEmulator:
        return self.h.emu

    async def compose(self, text: str | None = None) -> SentMessage:
        """`/announce <text>`: returns the panel (after the preview)."""
        mark = self.emu.mark()
        self.emu.send_text(self.chair.user_id, f"/announce {text}" if text else "/announce")
        return await self.panel_after(mark)

    async def panel_after(self, mark: Mark) -> SentMessage:
        return await self.emu.wait_for_message(
            self.chair.user_id, after=mark, timeout=WAIT,
            predicate=lambda m: any("Gửi" in str(b.get("text")) for b in m.buttons),
        )

    async def compose_prompt(self) -> SentMessage:
        """Plain `/announce`: the bot asks for the content."""
        return await self.h.say(self.chair, "/announce")

    async def press(
        self, user: Person, message: SentMessage, label: str, *, forged: bool = False
    ) -> None:
        """Press the button with this label (or send `label` as forged callback data)."""
        mark = self.emu.mark()
        if forged:
            self.emu.press_button(user.user_id, message, label)
        else:
            self.emu.press_button_text(user.user_id, message, label)
        await self.emu.wait_for_calls("answerCallbackQuery", after=mark, timeout=WAIT)
        await self.emu.wait_idle(quiet=0.15, timeout=WAIT)  # edits come after the answer

    async def send(self, panel: SentMessage) -> None:
        """Press «Gửi» and wait until the outbox has sent everything."""
        await self.press(self.chair, panel, "Gửi")
        await self.idle()

    async def idle(self) -> None:
        await asyncio.sleep(0.05)
        await asyncio.wait_for(outbox_of(self.h.app).idle(), WAIT)
        await asyncio.sleep(0.1)  # the hooks' edits of the progress message

    def copy_for(self, person: Person) -> SentMessage:
        """The person's newest copy of a notice: its button is «✅ Đã nhận», or once pressed
        «✅ name, time»; both carry the ack callback."""
        return next(m for m in reversed(self.emu.sent_messages(person.user_id))
                    if any(str(b.get("callback_data", "")).startswith("an:ack:")
                           for b in m.buttons))

    def group_copy(self) -> SentMessage:
        return next(m for m in self.emu.sent_messages(GROUP_ID) if "THÔNG BÁO" in (m.text or ""))


@asynccontextmanager
async def running_block(tmp_path: Path, codes: tuple[str, ...] = CODES) -> AsyncIterator[Block]:
    h = BotHarness(tmp_path)
    await h.start()
    try:
        outbox_of(h.app).policy = FAST
        h.runtime.notice_edit_intervals = (0.3, 0.05)
        reps = await h.register_all(codes)
        chair = reps["VPTU"]
        h.emu.add_group(GROUP_ID, "Khối thi đua 6", members=[p.user_id for p in reps.values()])
        await h.say(chair, "/bind", chat_id=GROUP_ID)
        yield Block(h, chair, reps)
    finally:
        await h.stop()
