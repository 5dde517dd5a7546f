"""The transcript shows a message the bot edited as its last state, with every earlier state
folded under it (oldest first, each with its time and buttons): a reader follows a counter
or a review screen as it moved. Real emulator, real PTB Bot, the demo's own renderer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.demo.chatlog import ChatInfo, ChatRenderer
from bot.demo.history import SHOWN_AT_EACH_END
from bot.sandbox import BotApiEmulator

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GROUP = -100_777
CHAT = ChatInfo(GROUP, "chat-group", "Nhóm", "", "Nhóm")


class Bubbles(HTMLParser):
    """Per bubble: its own text (outside <details>) and the texts of its earlier states."""

    def __init__(self) -> None:
        super().__init__()
        self.bubbles: list[dict[str, list[str]]] = []
        self.depth = 0  # <div> nesting inside the current bubble
        self.in_details = False
        self.in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = (dict(attrs).get("class") or "").split()
        if tag == "div" and "msg" in css:
            self.bubbles.append({"own": [], "earlier": [], "summary": [], "states": []})
            self.depth = 1
        elif tag == "div" and self.depth:
            self.depth += 1
        if tag == "details" and self.depth:
            self.in_details = True
        if tag == "summary":
            self.in_summary = True
        if tag == "li" and self.in_details:
            self.bubbles[-1]["states"].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1
        if tag == "details":
            self.in_details = False
        if tag == "summary":
            self.in_summary = False

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        bubble = self.bubbles[-1]
        if self.in_summary:
            bubble["summary"].append(data)
        elif self.in_details:
            bubble["earlier"].append(data)
            if bubble["states"]:
                bubble["states"][-1] += data
        else:
            bubble["own"].append(data)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        emulator.add_user(7, "Hùng", started=True)
        emulator.add_group(GROUP, "Khối thi đua 6", members=[7], creator=7)
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=f"{emu.url}/bot") as real_bot:
        yield real_bot


def keyboard(label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data="ack")]])


def rendered(emu: BotApiEmulator, lang: str = "vi") -> list[dict[str, list[str]]]:
    html, _ = ChatRenderer(emu, TZ, lang, {7: "VPTU"}).render(CHAT)
    parsed = Bubbles()
    parsed.feed(html)
    return parsed.bubbles


async def test_an_edited_message_keeps_its_earlier_states(
    bot: Bot, emu: BotApiEmulator
) -> None:
    await bot.send_message(GROUP, "Thông báo số 1")  # never edited: nothing folded
    notice = await bot.send_message(GROUP, "Kế hoạch thi đua\n✅ Đã nhận: 0/9",
                                    reply_markup=keyboard("✅ Đã nhận"))
    await bot.edit_message_text("Kế hoạch thi đua\n✅ Đã nhận: 1/9", chat_id=GROUP,
                                message_id=notice.message_id,
                                reply_markup=keyboard("✅ Đã nhận"))
    await bot.edit_message_text("Kế hoạch thi đua\n✅ Đã nhận: 9/9", chat_id=GROUP,
                                message_id=notice.message_id)  # the button goes
    plain, edited = rendered(emu)
    assert "".join(plain["earlier"]) == "" and plain["summary"] == []
    own = "".join(edited["own"])
    assert "✅ Đã nhận: 9/9" in own and "0/9" not in own and "1/9" not in own
    assert "đã chỉnh sửa 2 lần, lần cuối" in own
    assert "".join(edited["summary"]) == "Xem 2 trạng thái trước của tin nhắn này"
    first, second = edited["states"]
    assert first.startswith("Bản đầu") and "✅ Đã nhận: 0/9" in first
    assert first.rstrip().endswith("✅ Đã nhận")  # the button it had then
    assert second.startswith("Sửa lần 1") and "✅ Đã nhận: 1/9" in second
    assert "Show this message's 2 earlier states" in "".join(rendered(emu, "en")[1]["summary"])


async def test_a_counter_edited_many_times_shows_both_ends(
    bot: Bot, emu: BotApiEmulator
) -> None:
    sent = await bot.send_message(GROUP, "Đang gửi 0/40")
    for n in range(1, 41):
        await bot.edit_message_text(f"Đang gửi {n}/40", chat_id=GROUP,
                                    message_id=sent.message_id)
    [bubble] = rendered(emu)
    states = bubble["states"]
    assert len(states) == 2 * SHOWN_AT_EACH_END + 1  # the first ones, a count, the last ones
    assert "Đang gửi 0/40" in states[0] and "Đang gửi 39/40" in states[-1]
    assert states[SHOWN_AT_EACH_END].strip() == f"… {40 - 2 * SHOWN_AT_EACH_END} lần sửa khác …"
    assert "Đang gửi 40/40" in "".join(bubble["own"])
