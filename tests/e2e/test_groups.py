"""Groups and their block (issue 17.4, 26.8): a group no block is bound to hears only
/bind (and /help, which says how to bind it); moving the block to another group with /bind
tells the old group and the other chairs, in the transaction of the move."""

from __future__ import annotations

from typing import Any

import pytest

from bot.outbox.sender import outbox_of
from bot.sandbox import Mark
from bot.services import notify
from bot.services.registration.group import Bind, BindResult, bind_group
from storage import blocks as blocks_repo
from storage import outbox as outbox_repo
from tests.e2e.harness import GROUP_ID, BotHarness

pytestmark = pytest.mark.e2e

OTHER_GROUP = -100_888_000
UNBOUND_HELP = "Nhóm này chưa được gắn với Khối thi đua nào"


def bot_said(h: BotHarness, chat_id: int, mark: Mark) -> list[str]:
    """What the bot sent into a chat since `mark`."""
    return [m.text or "" for m in h.emu.sent_messages()[mark.sent:] if m.chat_id == chat_id]


async def test_an_unbound_group_hears_only_bind(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    member = await h.register("BBT")
    h.emu.add_group(GROUP_ID, "Khối thi đua 6", members=[chair.user_id, member.user_id])
    mark = h.emu.mark()
    for text in ("/status", "/covenant", "/report", "/start", "xin chào"):
        h.emu.send_text(member.user_id, text, chat_id=GROUP_ID)
    await h.emu.wait_idle(quiet=0.3)
    assert bot_said(h, GROUP_ID, mark) == []

    help_text = (await h.say(member, "/help", chat_id=GROUP_ID)).text or ""
    assert UNBOUND_HELP in help_text and "/bind" in help_text
    assert "/status" not in help_text
    # a button in that group (here forged onto the help) is answered, nothing else happens
    mark = h.emu.mark()
    await h.press(member, h.emu.last_sent(GROUP_ID), "an:ack:1", chat_id=GROUP_ID)
    await h.emu.wait_idle(quiet=0.2)
    assert "Nút này không còn hiệu lực" in (h.emu.callback_answers()[-1].text or "")
    assert bot_said(h, GROUP_ID, mark) == []

    refused = await h.say(member, "/bind", chat_id=GROUP_ID)
    assert "Chỉ đại diện đơn vị Khối trưởng" in (refused.text or "")
    await h.say(chair, "/bind", chat_id=GROUP_ID)
    help_text = (await h.say(member, "/help", chat_id=GROUP_ID)).text or ""
    assert UNBOUND_HELP not in help_text and "/status" in help_text
    status = await h.say(member, "/status", chat_id=GROUP_ID)
    assert "Khối thi đua 6" in (status.text or "")


async def test_unbound_help_in_english(harness: BotHarness) -> None:
    h = harness
    person = h.person("Guest", language="en")
    await h.say(person, "/lang en")
    h.emu.add_group(GROUP_ID, "Emulation block", members=[person.user_id])
    answer = await h.say(person, "/help", chat_id=GROUP_ID)
    assert "This group is not bound to an emulation block" in (answer.text or "")


async def test_moving_the_group_tells_the_old_group_and_the_other_chairs(
    harness: BotHarness,
) -> None:
    h = harness
    chair = await h.register("VPTU", "Khối trưởng A")
    colleague = await h.register("VPTU", "Khối trưởng B")
    vice = await h.register("BTG")  # the vice-chair unit shares chair rights here
    member = await h.register("BBT")
    await h.bind_group(chair)
    h.emu.add_group(OTHER_GROUP, "Khối 6 (nhóm mới)", members=[chair.user_id])
    mark = h.emu.mark()
    done = await h.say(chair, "/bind", chat_id=OTHER_GROUP)
    assert "đã được gắn với" in (done.text or "")
    await h.settle()

    [old_group] = bot_said(h, GROUP_ID, mark)
    assert "sử dụng nhóm Telegram khác («Khối 6 (nhóm mới)»)" in old_group
    for person in (colleague, vice):
        [told] = bot_said(h, person.user_id, mark)
        assert "Khối trưởng A đã chuyển nhóm Telegram của" in told
        assert "Khối 6 (nhóm mới)" in told
    for person in (chair, member):
        assert bot_said(h, person.user_id, mark) == [], person.name

    # the old group now hears only /bind; the block works in the new one
    mark = h.emu.mark()
    h.emu.send_text(member.user_id, "/status", chat_id=GROUP_ID)
    await h.emu.wait_idle(quiet=0.3)
    assert bot_said(h, GROUP_ID, mark) == []
    # binding again where it already is: nothing more to tell
    again = await h.say(chair, "/bind", chat_id=OTHER_GROUP)
    assert "đã là nhóm của" in (again.text or "")
    outbox_of(h.app).wake()
    await h.settle()
    assert bot_said(h, GROUP_ID, mark) == []
    assert bot_said(h, colleague.user_id, mark) == []


async def test_a_move_and_its_notices_commit_together(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    chair = await h.register("VPTU")
    vice = await h.register("BTG")
    await h.bind_group(chair)

    async def move() -> BindResult:
        return await bind_group(h.db, h.clock, h.runtime.texts, tg_user_id=chair.user_id,
                                actor_name=chair.name, admin_ids=frozenset(),
                                chat_id=OTHER_GROUP, chat_title="Nhóm mới", block_code=None)

    real_queue = notify.queue
    calls = 0

    async def failing_queue(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:  # the chairs' notice, after the old group's
            raise RuntimeError("injected")
        return await real_queue(*args, **kwargs)

    monkeypatch.setattr(notify, "queue", failing_queue)
    with pytest.raises(RuntimeError, match="injected"):
        await move()
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None and block.group_chat_id == GROUP_ID  # nothing moved
        assert await outbox_repo.batch_rows(conn, f"group-moved:{block.id}") == []
    monkeypatch.setattr(notify, "queue", real_queue)
    result = await move()
    assert result.outcome is Bind.BOUND and result.queued == 2  # the old group and BTG
    async with h.db.read() as conn:
        rows = await outbox_repo.batch_rows(conn, f"group-moved:{block.id}")
    assert sorted(r.chat_id for r in rows) == sorted([GROUP_ID, vice.user_id])
