"""The moves of a vote through the emulator: the chair's screens, a unit's ballot, the
clock. Each move waits until the bot has answered (and edited) before the next."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.sandbox import SentMessage
from handlers.awards import run_due
from tests.e2e.harness import GROUP_ID, BotHarness, Person

WAIT = 15.0
TRACKER = re.compile(r"Mã phiếu: ([0-9A-Z]{4}-[0-9A-Z]{4})")


@dataclass
class Vote:
    h: BotHarness
    people: dict[str, Person]

    @property
    def chair(self) -> Person:
        return self.people["VPTU"]

    def name(self, code: str) -> str:
        return next(u.name for u in self.h.spec.units if u.code == code)

    async def quiet(self) -> None:
        await self.h.emu.wait_idle(quiet=0.05, timeout=WAIT)

    async def say(self, person: Person, text: str) -> SentMessage:
        message = await self.h.say(person, text)
        await self.quiet()
        return message

    async def press(self, person: Person, message: SentMessage, label: str) -> SentMessage:
        """Press the button whose label holds `label`; the pressed message, as it is now."""
        await self.h.press(person, message, message.button(label)["callback_data"])
        await self.quiet()
        return self.current(person, message)

    async def press_data(self, person: Person, message: SentMessage, data: str) -> None:
        await self.h.press(person, message, data)
        await self.quiet()

    def current(self, person: Person, message: SentMessage) -> SentMessage:
        return next(m for m in self.h.emu.sent_messages(person.user_id)
                    if m.message_id == message.message_id)

    def last(self, person: Person) -> SentMessage:
        return self.h.emu.last_sent(person.user_id)

    def with_button(self, person: Person, label: str) -> SentMessage:
        for sent in reversed(self.h.emu.sent_messages(person.user_id)):
            if any(label in str(b.get("text", "")) for b in sent.buttons):
                return sent
        raise LookupError(f"no {label!r} button in the chat of {person.name}")

    def answers(self, person: Person) -> list[str]:
        return [a.text or "" for a in self.h.emu.callback_answers(person.user_id)]

    async def open_vote(self, *, edit: tuple[int, str, str] | None = None) -> SentMessage:
        """The chair's /binhxet, (a candidate change: award index, unit code, reason), then
        «Mở bỏ phiếu» at the default closing time; the invitations delivered."""
        screen = await self.say(self.chair, "/binhxet")
        assert "chuẩn bị bỏ phiếu kín" in (screen.text or ""), screen.text
        if edit is not None:
            award, code, reason = edit
            editor_press = screen.buttons[award]["callback_data"]
            await self.press_data(self.chair, screen, editor_press)
            editor = self.current(self.chair, screen)
            await self.press(self.chair, editor, self.name(code))
            await self.say(self.chair, reason)
            screen = await self.say(self.chair, "/binhxet")
        screen = await self.press(self.chair, screen, "Mở bỏ phiếu")
        await self.h.settle(quiet=0.05)
        return screen

    async def ballot(self, person: Person) -> SentMessage:
        """«Bỏ phiếu» under the newest invitation or reminder: the ballot's first page."""
        mark = self.h.emu.mark()
        invite, data = next((m, b["callback_data"])
                            for m in reversed(self.h.emu.sent_messages(person.user_id))
                            for b in m.buttons if str(b.get("callback_data")).startswith("aw:b:"))
        self.h.emu.press_button(person.user_id, invite, data)
        page = await self.h.emu.wait_for_message(person.user_id, after=mark, timeout=WAIT)
        await self.quiet()
        return page

    async def vote(self, code: str, picks: list[list[str]], *, person: Person | None = None
                   ) -> str:
        """Fill in the unit's ballot (unit codes per award), cast it; returns the tracker."""
        who = person or self.people[code]
        page = await self.ballot(who)
        for award, chosen in enumerate(picks):
            for unit in chosen:
                page = await self.press(who, page, self.name(unit))
            if award + 1 < len(picks):
                page = await self.press(who, page, "Tiếp")
        summary = await self.press(who, page, "Bỏ phiếu")
        assert "sắp bỏ phiếu thay mặt" in (summary.text or ""), summary.text
        receipt = await self.press(who, summary, "Xác nhận")
        found = TRACKER.search(receipt.text or "")
        assert found, receipt.text
        return found[1]

    async def close(self) -> None:
        """The chair's «Kết thúc bỏ phiếu»; until the results (and, when valid, the list of
        ballots) are in the group."""
        status = await self.say(self.chair, "/binhxet")
        mark = self.h.emu.mark()
        await self.press(self.chair, status, "Kết thúc bỏ phiếu")
        await self.h.emu.wait_for_message(
            GROUP_ID, after=mark, timeout=WAIT * 2,
            predicate=lambda m: "Danh sách phiếu" in (m.text or "")
            or "không hợp lệ" in (m.text or ""))
        await self.h.settle(quiet=0.1)

    async def at(self, delta: timedelta) -> int:
        """Move the clock, then let the vote's clock work run (reminders, closing)."""
        self.h.clock.advance(delta)
        done = await run_due(self.h.app)
        await self.h.settle(quiet=0.1)
        return done

    def group(self) -> list[str]:
        return self.h.texts(GROUP_ID)
