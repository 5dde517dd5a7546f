"""What people type, as long or as odd as Telegram lets them (issue 26, items 3-5): replies
that repeat it stay short, narratives are limited as Telegram counts, a value too long for
its screen (a phone screen, issue 18) is shown clipped with the whole text before it, and
a notice whose formatting carries hostile values still previews and goes out."""

from __future__ import annotations

import pytest

from bot.formatting import utf16_len
from bot.sandbox import SentMessage
from bot.services import values
from tests.e2e.harness import GROUP_ID, BotHarness, Person
from tests.reports.e2e_helpers import data_of

pytestmark = pytest.mark.e2e

HUGE = "X" * 4000  # one word: the whole of it is the command's argument
HOSTILE = '"><b>'


async def settled(h: BotHarness) -> None:
    await h.emu.wait_idle(quiet=0.1, timeout=20)
    await h.settle()


async def test_a_command_argument_is_echoed_clipped(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    rep = await h.register("BBT")
    await h.bind_group(chair)
    for person, command, chat_id, echoed in (
        (rep, "/report", None, True), (chair, "/review", None, False),
        (chair, "/review done", None, False), (rep, "/ranking", None, True),
        (rep, "/progress", None, True), (chair, "/ranking", GROUP_ID, True),
        (rep, "/block", None, False), (chair, "/remind", None, False),
    ):
        answer = await h.say(person, f"{command} {HUGE}", chat_id=chat_id)
        text = answer.text or ""
        assert not echoed or ("«XXXX" in text and "X…»" in text), (command, text)
        assert utf16_len(text) < 1000, command
    assert list(h.runtime.failed_updates) == []


async def open_narrative(h: BotHarness, rep: Person) -> SentMessage:
    """The form, the page of KET_QUA_NOI_BAT (a narrative), its question."""
    form = await h.say(rep, "/report")
    await h.press(rep, form, data_of(form, "III. Xây dựng Đảng"))
    await h.press(rep, form, data_of(form, "7. Kết quả nổi bật"))
    await settled(h)
    asked = h.emu.sent_messages(rep.user_id)[-1]
    assert asked.message_id > form.message_id and (asked.reply_markup or {}).get("force_reply")
    return asked


async def test_a_narrative_limit_counts_what_telegram_counts(harness: BotHarness) -> None:
    h = harness
    rep = await h.register("BBT")
    await open_narrative(h, rep)
    refused = await h.say(rep, "🎉" * 2100)  # 2,100 characters, 4,200 UTF-16 units
    assert "dài quá 3.000 ký tự" in (refused.text or "")
    saved = await h.say(rep, "🎉" * 1500)  # 3,000 units: the most there is
    assert "Đã lưu" in (saved.text or "")


async def test_a_value_too_long_for_its_screen_comes_whole_before_it(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    rep = await h.register("BBT")
    await open_narrative(h, rep)
    with monkeypatch.context() as before_the_fix:  # stored when the limit counted characters
        before_the_fix.setattr(values, "MAX_TEXT_UNITS", 10_000)
        await h.say(rep, "🎉" * 2100)
    before = h.emu.sent_messages(rep.user_id)[-1].message_id
    question = await open_narrative(h, rep)
    # the question fits a phone screen: it begins the text and points to the whole above
    assert "đầy đủ ở tin nhắn phía trên" in (question.text or "")
    assert utf16_len(question.text or "") <= 1000
    whole = [m.text or "" for m in h.emu.sent_messages(rep.user_id)
             if before < m.message_id < question.message_id and not m.buttons]
    assert whole[0].startswith("Nội dung đầy đủ – Kết quả nổi bật")
    assert sum(t.count("🎉") for t in whole) == 2100
    assert list(h.runtime.failed_updates) == []


async def test_a_notice_with_hostile_link_and_code_language_previews_and_goes_out(
    harness: BotHarness,
) -> None:
    h = harness
    chair = await h.register("VPTU")
    rep = await h.register("UBKT")
    await h.bind_group(chair)
    await h.say(chair, "/announce")
    text = "Kính gửi các đơn vị: xem hướng dẫn và mẫu báo cáo."
    link = {"type": "text_link", "offset": text.index("hướng"), "length": 9,
            "url": f"https://example.org/{HOSTILE}"}
    code = {"type": "pre", "offset": text.index("mẫu"), "length": 11, "language": HOSTILE}
    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, text, entities=[link, code])
    panel = await h.emu.wait_for_message(
        chair.user_id, after=mark, predicate=lambda m: any("Gửi" in str(b.get("text"))
                                                           for b in m.buttons))
    preview = next(m for m in h.emu.sent_messages(chair.user_id)
                   if m.message_id < panel.message_id and "hướng dẫn" in (m.text or ""))
    found = preview.message.get("entities", [])
    assert {"type": "text_link", "url": f"https://example.org/{HOSTILE}"}.items() <= next(
        e for e in found if e["type"] == "text_link").items()
    assert any(e["type"] == "pre" and e.get("language") == HOSTILE for e in found)
    h.emu.press_button_text(chair.user_id, panel, "Gửi")
    await settled(h)
    copy = next(m for m in reversed(h.emu.sent_messages(rep.user_id))
                if "hướng dẫn" in (m.text or ""))
    assert any(e.get("url") == f"https://example.org/{HOSTILE}"
               for e in copy.message.get("entities", []))
    assert list(h.runtime.failed_updates) == []
