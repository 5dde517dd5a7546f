"""End to end through the emulator (shared harness): publishing, nine units signing,
refusals, a new version, long texts, an unreachable representative, /pledge."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bot.outbox.sender import outbox_of
from bot.sandbox import SentMessage
from bot.services.setup import apply_block_spec
from storage import audit
from storage.covenant.tables import covenant_signatures
from tests.e2e.harness import GROUP_ID, BotHarness, Person

pytestmark = pytest.mark.e2e

SIGN = "Ký giao ước"
WAIT = 15.0


@dataclass
class Block:
    """The example block with every unit registered and the group bound."""

    h: BotHarness
    people: dict[str, Person]

    @property
    def chair(self) -> Person:
        return self.people["VPTU"]

    def texts(self, chat_id: int) -> list[str]:
        return self.h.texts(chat_id)

    def with_button(self, person: Person, label: str) -> SentMessage:
        """The newest message in the person's chat with a button of this label."""
        for sent in reversed(self.h.emu.sent_messages(person.user_id)):
            if any(label in str(b.get("text", "")) for b in sent.buttons):
                return sent
        raise LookupError(f"no {label!r} button in the chat of {person.name}")

    async def publish(self) -> None:
        """The chair previews, then confirms; the outbox delivers everything."""
        mark = self.h.emu.mark()
        self.h.emu.send_text(self.chair.user_id, "/covenant publish")
        preview = await self.h.emu.wait_for_message(
            self.chair.user_id, after=mark, timeout=WAIT,
            predicate=lambda m: any("Phát hành" in str(b.get("text")) for b in m.buttons))
        assert any("Bản xem trước (chưa phát hành)" in t or "Xem trước phiên bản mới" in t
                   or "Gửi lại giao ước" in t for t in self.texts(self.chair.user_id))
        await self.press(self.chair, preview, "Phát hành")
        await self.h.emu.wait_idle(timeout=WAIT)
        # On a busy machine the queue may pause longer than the emulator's quiet time.
        await self.h.settle(quiet=0.1)

    async def press(self, person: Person, message: SentMessage, label: str) -> None:
        await self.h.press(person, message, message.button(label)["callback_data"])

    async def confirm(self, person: Person, prompt: SentMessage) -> None:
        await self.h.press(person, prompt, confirm_data(prompt))

    async def sign(self, person: Person) -> str:
        """Press «✍️ Ký giao ước», then «Xác nhận ký» (or «Vẫn ký» when the unit has not
        registered its slogan or targets); returns the receipt."""
        mark = self.h.emu.mark()
        await self.press(person, self.with_button(person, SIGN), SIGN)
        prompt = await self.h.emu.wait_for_message(person.user_id, after=mark, timeout=WAIT)
        assert "Xác nhận thay mặt" in (prompt.text or "")
        await self.confirm(person, prompt)
        await self.h.emu.wait_idle(timeout=WAIT)
        return next(m.text or "" for m in self.h.emu.sent_messages(person.user_id)
                    if m.message_id == prompt.message_id)


def confirm_data(prompt: SentMessage) -> str:
    """The signing confirmation's button: «✍️ Xác nhận ký», or «✍️ Vẫn ký» under a warning."""
    return next(str(b["callback_data"]) for b in prompt.buttons
                if str(b.get("callback_data", "")).startswith("cov:c:"))


@pytest.fixture
async def block(harness: BotHarness) -> Block:
    people = await harness.register_all()
    await harness.bind_group(people["VPTU"])
    return Block(harness, people)


async def signature_count(h: BotHarness) -> int:
    async with h.db.read() as conn:
        query = select(func.count()).select_from(covenant_signatures)
        return int((await conn.execute(query)).scalar_one())


async def test_whole_block_signs(block: Block) -> None:
    units = block.h.spec.units
    await block.publish()
    summary = next(t for t in block.texts(block.chair.user_id) if "Đã phát hành" in t)
    assert "phiên bản 1" in summary and "9 đơn vị (9 người)." in summary
    assert "không còn hiệu lực" not in summary  # no signatures superseded by a first version
    for k, unit in enumerate(units, start=1):
        receipt = await block.sign(block.people[unit.code])
        assert "Đã ký thay mặt" in receipt and unit.name in receipt
        assert f"{k}/9" in receipt and "Mã xác thực: " in receipt
    await block.h.emu.wait_for_messages(GROUP_ID, count=4, timeout=WAIT)
    group = block.texts(GROUP_ID)[1:]  # after the /bind confirmation
    assert "đã phát hành" in group[0]
    # One progress message, edited in place at each signature (issue 18), not nine posts
    [progress] = [m for m in block.h.emu.sent_messages(GROUP_ID) if "Tiến độ" in (m.text or "")]
    counts = [str(v.get("text")) for v in progress.versions]
    assert [f"Đã ký giao ước {k}/9" in t for k, t in enumerate(counts, start=1)] == [True] * 9
    closing = group[2]
    assert "Tất cả 9 đơn vị thành viên đã ký kết" in closing
    assert all(f"{n}. {u.name} – " in closing for n, u in enumerate(units, start=1))
    status = await block.h.say(block.chair, "/covenant status", chat_id=GROUP_ID)
    assert "9/9" in (status.text or "")
    assert await signature_count(block.h) == 9


async def test_double_press_and_replay_create_nothing(block: Block) -> None:
    await block.publish()
    second = await block.h.register("BBT", "Phó Tổng biên tập")
    rep = block.people["BBT"]
    covenant = block.with_button(rep, SIGN)
    mark = block.h.emu.mark()
    await block.press(rep, covenant, SIGN)
    prompt = await block.h.emu.wait_for_message(rep.user_id, after=mark, timeout=WAIT)
    confirm = confirm_data(prompt)
    block.h.emu.press_button(rep.user_id, prompt, confirm)  # a double tap
    block.h.emu.press_button(rep.user_id, prompt, confirm)
    await block.h.emu.wait_idle(timeout=WAIT)
    sign_data = covenant.button(SIGN)["callback_data"]
    welcome = block.h.emu.last_sent(second.user_id)
    # a replayed sign press, a replayed confirmation, BBT's other representative
    for person, where, data in ((rep, covenant, sign_data), (rep, covenant, confirm),
                                (second, welcome, sign_data), (second, welcome, confirm)):
        mark = block.h.emu.mark()
        block.h.emu.press_button(person.user_id, where, data)
        answer = await block.h.emu.wait_for_message(person.user_id, after=mark, timeout=WAIT)
        assert "Không cần ký lại" in (answer.text or ""), answer.text
    assert "Không cần ký lại" in ((await block.h.say(second, "/sign")).text or "")
    assert "5. Thực hiện nghiêm" in (covenant.text or "")  # replays never overwrite the text
    await block.h.emu.wait_idle(timeout=WAIT)
    # the group's progress message counts the unit once, and was never edited again
    [progress] = [m for m in block.h.emu.sent_messages(GROUP_ID) if "Tiến độ" in (m.text or "")]
    assert "Đã ký giao ước 1/9" in (progress.text or "") and not progress.edits
    assert await signature_count(block.h) == 1


async def test_outsider_and_other_unit_are_refused(block: Block) -> None:
    await block.publish()
    ubkt = block.people["UBKT"]
    covenant = block.with_button(ubkt, SIGN)
    mark = block.h.emu.mark()
    await block.press(ubkt, covenant, SIGN)
    prompt = await block.h.emu.wait_for_message(ubkt.user_id, after=mark, timeout=WAIT)
    stolen = [covenant.button(SIGN)["callback_data"], confirm_data(prompt)]
    outsider = block.h.person("Người ngoài")
    hello = await block.h.say(outsider, "/start")
    cases = [
        (outsider, hello, "không phải là đại diện"),
        (block.people["BBT"], block.with_button(block.people["BBT"], SIGN), "đơn vị của mình"),
        (block.chair, block.with_button(block.chair, SIGN), "đơn vị của mình"),
    ]
    for person, where, expected in cases:
        for data in stolen:  # crafted data pressed on a message in their own chat
            mark = block.h.emu.mark()
            block.h.emu.press_button(person.user_id, where, data)
            answer = await block.h.emu.wait_for_message(person.user_id, after=mark,
                                                        timeout=WAIT)
            assert expected in (answer.text or "")
    async with block.h.db.read() as conn:
        refused = await audit.entries(conn, action="covenant.sign-refused")
    # one row per person and minute, counting the repeats (issue 26.9)
    assert sum(audit.repeats(e) for e in refused) == 6
    assert await signature_count(block.h) == 0


async def test_changed_covenant_supersedes_and_asks_again(block: Block) -> None:
    h = block.h
    await block.publish()
    await block.sign(block.people["BBT"])
    await block.sign(block.people["UBKT"])
    old_button = block.with_button(block.people["BBT"], SIGN)
    # the chair edits the block file and runs `thidua-bot setup` while the bot runs...
    assert h.spec.covenant is not None
    covenant = h.spec.covenant
    h.spec = type(h.spec)(**{**h.spec.__dict__, "covenant": type(covenant)(
        **{**covenant.__dict__,
           "commitments": (*covenant.commitments, "Hưởng ứng chuyển đổi số.")})})
    mark = h.emu.mark()
    await apply_block_spec(h.db, h.spec, h.clock)
    outbox_of(h.app).wake()  # ...and the outbox's minute poll picks up what setup queued
    await h.emu.wait_for_message(GROUP_ID, after=mark, timeout=WAIT,
                                 predicate=lambda m: "phiên bản 2" in (m.text or ""))
    group = block.texts(GROUP_ID)[-1]
    assert "bổ sung cam kết số 6" in group and "2 chữ ký" in group
    await h.emu.wait_idle(timeout=WAIT)
    for code in ("BBT", "BDV"):
        fresh = block.with_button(block.people[code], SIGN)
        assert "6. Hưởng ứng chuyển đổi số." in (fresh.text or "")
        assert "phiên bản 2" in "\n".join(block.texts(block.people[code].user_id)[-2:])
    mark = h.emu.mark()
    await block.press(block.people["BBT"], old_button, SIGN)
    stale = await h.emu.wait_for_message(block.people["BBT"].user_id, after=mark, timeout=WAIT)
    assert "đã được điều chỉnh" in (stale.text or "")
    await h.emu.wait_idle(timeout=WAIT)  # the new text follows the notice
    receipt = await block.sign(block.people["BBT"])
    assert "phiên bản 2" in receipt and "1/9" in receipt
    status = await h.say(block.chair, "/covenant status")
    assert "1/9" in (status.text or "")


async def test_long_covenant_is_split(block: Block) -> None:
    h = block.h
    assert h.spec.covenant is not None
    long = tuple(f"Cam kết {n}: " + "nội dung cam kết dài, " * 60 + "hết." for n in range(1, 9))
    h.spec = type(h.spec)(**{**h.spec.__dict__, "covenant": type(h.spec.covenant)(
        **{**h.spec.covenant.__dict__, "commitments": long})})
    await apply_block_spec(h.db, h.spec, h.clock)  # not published yet: only the draft
    await block.publish()
    tct = block.people["TCT"]
    received = [m for m in h.emu.sent_messages(tct.user_id) if "Cam kết" in (m.text or "")
                or m.buttons]
    assert len(received) >= 3
    assert all(len(m.text or "") <= 4096 for m in received)
    assert [bool(m.buttons) for m in received] == [False] * (len(received) - 1) + [True]
    whole = "\n\n".join(m.text or "" for m in received)
    for n in range(1, 9):
        assert whole.count(f"{n}. Cam kết {n}:") == 1
    for m in received[1:]:  # each message starts at a commitment or the unit's section
        first = (m.text or "").split(".", 1)[0]
        assert first.isdigit() or (m.text or "").startswith("Phần đăng ký")
    assert "1/9" in await block.sign(tct)


async def test_blocked_representative_does_not_stop_the_others(block: Block) -> None:
    h = block.h
    ubkt = block.people["UBKT"]
    h.emu.block_bot(ubkt.user_id)
    before = len(h.emu.sent_messages(ubkt.user_id))
    await block.publish()
    assert len(h.emu.sent_messages(ubkt.user_id)) == before
    for code, person in block.people.items():
        if code != "UBKT":
            assert block.with_button(person, SIGN)
    await h.emu.wait_for_message(
        block.chair.user_id, timeout=WAIT,
        predicate=lambda m: "Ủy ban Kiểm tra Tỉnh ủy" in (m.text or "")
        and "chặn bot" in (m.text or ""))
    assert "1/9" in await block.sign(block.people["BDV"])


async def test_pledge_then_sign_locks_it(block: Block) -> None:
    h = block.h
    rep = block.people["UBKT"]
    view = await h.say(rep, "/pledge")
    assert "Đăng ký chủ đề, chỉ tiêu" in (view.text or "")
    mark = h.emu.mark()
    await block.press(rep, view, "Chỉ tiêu 1")
    ask = await h.emu.wait_for_message(rep.user_id, after=mark, timeout=WAIT)
    assert "ví dụ: 100.000.000" in (ask.text or "")
    bad = await h.say(rep, "1.5")
    assert "không phải là số hợp lệ" in (bad.text or "") and "ví dụ" in (bad.text or "")
    saved = await h.say(rep, "250.000.000")
    assert "Đã lưu" in (saved.text or "") and "250.000.000 đồng" in (saved.text or "")
    mark = h.emu.mark()
    await block.press(rep, saved, "Chủ đề")
    await h.emu.wait_for_message(rep.user_id, after=mark, timeout=WAIT)
    saved = await h.say(rep, "Kỷ cương, liêm chính, trách nhiệm")
    assert "Kỷ cương, liêm chính, trách nhiệm" in (saved.text or "")
    await block.publish()
    assert "250.000.000 đồng" in "\n".join(block.texts(rep.user_id))
    assert "Đã ký" in await block.sign(rep)
    locked = await h.say(rep, "/pledge")
    assert "đã được khóa" in (locked.text or "") and not locked.buttons
    again = await h.say(rep, "/sign")
    assert "Không cần ký lại" in (again.text or "")


async def test_commands_before_and_after_publication(block: Block) -> None:
    h = block.h
    member = block.people["TCT"]
    assert "chưa được phát hành" in ((await h.say(member, "/covenant")).text or "")
    assert "chưa được phát hành" in ((await h.say(member, "/sign")).text or "")
    assert "Khối trưởng" in ((await h.say(member, "/covenant status")).text or "")
    draft = await h.say(block.chair, "/covenant")
    assert "/covenant publish" in (draft.text or "")
    in_group = await h.say(block.chair, "/covenant publish", chat_id=GROUP_ID)
    assert "tin nhắn riêng" in (in_group.text or "")
    assert "Cách dùng" in ((await h.say(member, "/covenant xyz")).text or "")
    await block.publish()
    mine = await h.say(member, "/covenant")
    assert "Trường Chính trị tỉnh chưa ký" in (mine.text or "")
    await h.emu.wait_idle(timeout=WAIT)
    assert block.with_button(member, SIGN)
    mark = h.emu.mark()
    h.emu.send_text(member.user_id, "/sign")
    prompt = await h.emu.wait_for_message(member.user_id, after=mark, timeout=WAIT)
    assert "Xác nhận thay mặt <b>" not in (prompt.text or "")  # rendered, not escaped
    assert "Xác nhận thay mặt Trường Chính trị tỉnh ký kết" in (prompt.text or "")
    await block.press(member, prompt, "Hủy")
    await h.emu.wait_idle(timeout=WAIT)
    assert "Đã hủy, chưa ký" in (h.emu.sent_messages(member.user_id)[-1].text or "")
    assert await signature_count(h) == 0
    outsider = h.person("Khách")
    await h.say(outsider, "/start")
    refused = await h.say(outsider, "/pledge")
    assert "chưa được đăng ký" in (refused.text or "")
