"""Every press is answered (issue 17.3, 26.2, 26.7): buttons of earlier versions, truncated
or forged payloads, ids no format of ours can carry, ids that point at nothing, and a
«Đã nhận» forged onto a message that is not the presser's copy of that notice. Each press
gets answerCallbackQuery in its own update, nothing is sent or edited, nothing raises, and
/status still answers afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.ext import CallbackQueryHandler

from bot.sandbox import Mark, SentMessage
from handlers.common import unknown_press
from storage import announcements as ann_repo
from tests.announce.live import running_block
from tests.e2e.harness import GROUP_ID, BotHarness, Person

pytestmark = pytest.mark.e2e

INVALID = "Nút này không còn hiệu lực"
REFUSED = "Thao tác này không hợp lệ"
TWENTY = "9" * 20

# Data that no feature's pattern claims: the catch-all answers them.
UNCLAIMED = [
    "legacy:report:1",  # a button of an earlier version
    "x",
    "an:ack:",  # truncated
    "an:ack:" + TWENTY,  # would overflow SQLite's integer
    "an:ack:١٢",  # Arabic-Indic digits
    "an:v:" + TWENTY,
    "an:n:-1",
    "an:d:zzzzzz:send",  # not a draft's nonce
    "cov:s:" + TWENTY + ":1",
    "cov:c:1:1",  # a confirmation without its hash
    "cov:p:1",
    "plg:t",
    "🙂",
]
# Data a feature claims (its prefix) but cannot read: refused there as an invalid action.
MALFORMED = ["rv:u:²", "rp:o:¹", "rp:o:" + TWENTY, "rv:a:" + TWENTY, "rp:y:1:2:7"]


def calls_since(h: BotHarness, mark: Mark) -> list[str]:
    """The Bot API methods the bot called since `mark`, but its polling."""
    return [c.method for c in h.emu.calls[mark.calls:] if c.method != "getUpdates"]


async def press_and_check(h: BotHarness, person: Person, message: SentMessage, data: str
                          ) -> str:
    """Press `data` on `message`; the answer's text. Fails if it is not answered in the
    same update or if the bot sends or edits anything for it."""
    mark = h.emu.mark()
    await h.press(person, message, data)
    await h.emu.wait_idle(quiet=0.1)
    after = calls_since(h, mark)
    assert after == ["answerCallbackQuery"], (data, after)
    answer = h.emu.callback_answers()[-1]
    assert answer.data == data
    return answer.text or ""


async def test_unclaimed_and_malformed_presses_are_answered(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    member = await h.register("BBT")
    for person in (chair, member):
        status = await h.say(person, "/status")
        for data in UNCLAIMED:
            assert INVALID in await press_and_check(h, person, status, data), data
        for data in MALFORMED:
            assert REFUSED in await press_and_check(h, person, status, data), data
    assert not h.emu.world.queries  # every query answered
    assert not list(h.runtime.failed_updates)  # no traceback
    assert "Đợt hiện tại" in ((await h.say(member, "/status")).text or "")


async def test_presses_on_ids_that_point_at_nothing_are_answered(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    member = await h.register("BBT")
    status = await h.say(chair, "/status")
    # a deleted (or never sent) notice, reports and phases that do not exist
    assert "không còn trên hệ thống" in await press_and_check(h, member, status, "an:ack:4242")
    for data in ("rv:u:4242", "rv:a:4242", "rv:e:4242", "rv:c:4242:1", "rp:o:4242"):
        assert REFUSED in await press_and_check(h, chair, status, data), data
    for data in ("an:v:4242", "an:t:4242", "an:n:4242"):
        assert "chỉ dành cho" in await press_and_check(h, chair, status, data), data
    assert not h.emu.world.queries
    assert not list(h.runtime.failed_updates)
    assert "Đợt hiện tại" in ((await h.say(chair, "/status")).text or "")


async def test_group_presses_are_answered(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    bound = await h.bind_group(chair)
    for data in ("an:ack:", "an:ack:" + TWENTY, "an:ack:4242x"):
        mark = h.emu.mark()
        await h.press(chair, bound, data, chat_id=GROUP_ID)
        assert calls_since(h, mark) == ["answerCallbackQuery"]
        assert INVALID in (h.emu.callback_answers()[-1].text or "")
    assert not list(h.runtime.failed_updates)


async def test_a_forged_ack_on_another_message_changes_nothing(tmp_path: Path) -> None:
    async with running_block(tmp_path, ("VPTU", "UBKT", "BDV")) as b:
        panel = await b.compose("Kính gửi các đơn vị: họp Khối lúc 8 giờ.")
        await b.send(panel)
        ubkt = b.reps["UBKT"]
        status = await b.h.say(ubkt, "/status")  # a bot message with no button at all
        welcome = b.emu.sent_messages(ubkt.user_id)[0]  # the registration's answer
        bound = next(m for m in b.emu.sent_messages(GROUP_ID) if "đã được gắn" in (m.text or ""))
        for message, chat in ((status, None), (welcome, None), (bound, GROUP_ID)):
            mark = b.emu.mark()
            b.emu.press_button(ubkt.user_id, message, "an:ack:1", chat_id=chat)
            await b.emu.wait_for_calls("answerCallbackQuery", after=mark)
            await b.emu.wait_idle(quiet=0.2)
            assert calls_since(b.h, mark) == ["answerCallbackQuery"]
            assert INVALID in (b.emu.callback_answers()[-1].text or "")
        assert b.emu.sent_messages(ubkt.user_id)[0].buttons == welcome.buttons
        async with b.h.db.read() as conn:
            assert await ann_repo.acks_of(conn, 1) == {}
        # the real copy still confirms, and the group counter follows
        await b.press(ubkt, b.copy_for(ubkt), "Đã nhận")
        assert "Đã ghi nhận" in (b.emu.callback_answers()[-1].text or "")
        async with b.h.db.read() as conn:
            assert len(await ann_repo.acks_of(conn, 1)) == 1
        # another unit's representative pressing the group copy confirms theirs
        await b.press(b.reps["BDV"], b.group_copy(), "Đã nhận")
        async with b.h.db.read() as conn:
            assert len(await ann_repo.acks_of(conn, 1)) == 2
        assert not list(b.h.runtime.failed_updates)


async def test_the_catch_all_comes_last_and_alone(harness: BotHarness) -> None:
    handlers = harness.app.handlers
    presses = [(group, handler) for group, listed in handlers.items() for handler in listed
               if isinstance(handler, CallbackQueryHandler)]
    assert {group for group, _ in presses} == {0}  # one group: the first match wins
    assert handlers[0][-1].callback is unknown_press
    assert [h for _, h in presses if h.pattern is None] == [handlers[0][-1]]
