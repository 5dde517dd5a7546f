"""Checks before a unit commits (issue 18.6): signing while the unit's slogan or targets are
not registered warns, with «📝 Đăng ký chủ đề, chỉ tiêu» and «✍️ Vẫn ký»; registering from
there leads back to signing."""

from __future__ import annotations

import pytest

from bot.sandbox import SentMessage
from bot.services.covenant.callbacks import PLEDGE_OPEN
from bot.services.covenant.pledge import set_slogan, set_target
from bot.services.covenant.signing import Sign, prepare
from tests.covenant.conftest import World
from tests.covenant.helpers import publish_now
from tests.e2e.harness import BotHarness
from tests.reports.e2e_helpers import say_expect


async def gaps_of(world: World, code: str) -> tuple[bool, list[str]]:
    ready = await prepare(world.db, world.clock, tg_user_id=world.rep(code),
                          block_id=world.block.id)
    assert ready.outcome is Sign.READY and ready.gaps is not None
    return ready.gaps.no_slogan, [x.criterion.code for x in ready.gaps.default_targets]


async def test_what_a_unit_has_not_registered_is_found_before_it_signs(world: World) -> None:
    await publish_now(world)
    # VPTU has the block file's slogan and no target of its own
    assert await gaps_of(world, "VPTU") == (False, ["TIEN_VAN_DONG", "CHUYEN_DOI_SO"])
    # BBT has its own target in the block file, but no slogan
    assert await gaps_of(world, "BBT") == (True, [])
    # UBKT registers a slogan and one target: the other one is left at the default on purpose
    common = {"block_id": world.block.id, "unit_id": world.unit("UBKT").id,
              "tg_user_id": world.rep("UBKT")}
    await set_slogan(world.db, world.clock, text="Kỷ cương, trách nhiệm", **common)
    assert await gaps_of(world, "UBKT") == (False, ["TIEN_VAN_DONG", "CHUYEN_DOI_SO"])
    await set_target(world.db, world.clock, criterion_id=world.tree.criteria[1].id,
                     raw="150.000.000", lang="vi", **common)
    assert await gaps_of(world, "UBKT") == (False, [])


def confirm_data(message: SentMessage) -> str:
    return next(str(b["callback_data"]) for b in message.buttons
                if str(b.get("callback_data", "")).startswith("cov:c:"))


@pytest.mark.e2e
async def test_a_unit_is_warned_registers_its_slogan_and_signs(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    bbt = await h.register("BBT")
    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, "/covenant publish")
    preview = await h.emu.wait_for_message(
        chair.user_id, after=mark, predicate=lambda m: any(
            "Phát hành" in str(b.get("text")) for b in m.buttons))
    await h.press(chair, preview, preview.button("Phát hành")["callback_data"])
    await h.settle(quiet=0.1)

    warned = await say_expect(h, bbt, "/sign", "Xác nhận thay mặt")
    text = warned.text or ""
    assert "⚠️ Đơn vị chưa đăng ký đầy đủ chủ đề, chỉ tiêu thi đua" in text
    assert "Chưa đăng ký chủ đề thi đua." in text
    assert "Xác nhận thay mặt Báo Bình Thuận ký kết" in text
    labels = [str(b.get("text")) for b in warned.buttons]
    assert labels == ["📝 Đăng ký chủ đề, chỉ tiêu", "✍️ Vẫn ký", "✖️ Hủy"]
    assert warned.button("Đăng ký chủ đề")["callback_data"] == PLEDGE_OPEN

    mark = h.emu.mark()
    await h.press(bbt, warned, PLEDGE_OPEN)
    pledge = await h.emu.wait_for_message(bbt.user_id, after=mark)
    assert "Đăng ký chủ đề, chỉ tiêu thi đua của Báo Bình Thuận" in (pledge.text or "")
    mark = h.emu.mark()
    await h.press(bbt, pledge, pledge.button("Chủ đề")["callback_data"])
    await h.emu.wait_for_message(bbt.user_id, after=mark)
    saved = await h.say(bbt, "Đổi mới, sáng tạo, trách nhiệm")
    assert "Đã lưu" in (saved.text or "")
    # from the saved pledge, straight to signing: no warning any more
    mark = h.emu.mark()
    await h.press(bbt, saved, saved.button("Ký giao ước")["callback_data"])
    prompt = await h.emu.wait_for_message(bbt.user_id, after=mark)
    assert "⚠️" not in (prompt.text or "") and "Đổi mới, sáng tạo" in (prompt.text or "")
    assert [str(b.get("text")) for b in prompt.buttons] == ["✍️ Xác nhận ký", "✖️ Hủy"]


@pytest.mark.e2e
async def test_sign_anyway_signs_with_the_defaults(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, "/covenant publish")
    preview = await h.emu.wait_for_message(
        chair.user_id, after=mark, predicate=lambda m: any(
            "Phát hành" in str(b.get("text")) for b in m.buttons))
    await h.press(chair, preview, preview.button("Phát hành")["callback_data"])
    await h.settle(quiet=0.1)
    warned = await say_expect(h, chair, "/sign", "Xác nhận thay mặt")
    text = warned.text or ""
    assert "Chỉ tiêu «Số tiền vận động hỗ trợ cơ sở, người nghèo» chưa đăng ký, sẽ theo mức " \
        "mặc định của Khối: 100.000.000 đồng." in text
    assert "Chưa đăng ký chủ đề" not in text  # VPTU's slogan is in the block file
    mark = h.emu.mark()
    await h.press(chair, warned, confirm_data(warned))
    await h.emu.wait_idle(quiet=0.1)
    receipt = next(m for m in h.emu.sent_messages(chair.user_id)
                   if m.message_id == warned.message_id)
    assert "Đã ký thay mặt Văn phòng Tỉnh ủy" in (receipt.text or "")
