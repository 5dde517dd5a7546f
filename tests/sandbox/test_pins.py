"""pinChatMessage / unpinChatMessage: the bot pins a live message; an administrator's right
in a supergroup, as on Telegram."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.sandbox import BotApiEmulator

GROUP = -100_500


async def test_pin_in_a_supergroup_needs_the_right(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(7, "Hùng")
    emu.add_group(GROUP, "Khối", supergroup=True, members=[7], creator=7)
    sent = await bot.send_message(GROUP, "Tiến độ")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await bot.pin_chat_message(GROUP, sent.message_id)
    assert emu.pinned(GROUP) == []

    emu.set_member_status(GROUP, emu.bot_user["id"], "administrator")
    assert await bot.pin_chat_message(GROUP, sent.message_id, disable_notification=True)
    assert emu.pinned(GROUP) == [sent.message_id]
    chat = await bot.get_chat(GROUP)
    assert chat.pinned_message is not None and chat.pinned_message.message_id == sent.message_id
    # Groups show the pin as a service message from the bot; it is no message of the bot's.
    [service] = [e for e in emu.chat_log(GROUP) if e["kind"] == "service"
                 and "pinned_message" in e["message"]]
    assert service["message"]["pinned_message"]["message_id"] == sent.message_id
    assert [m.message_id for m in emu.sent_messages(GROUP)] == [sent.message_id]


async def test_pin_again_moves_to_the_top_and_unpin(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(7, "Hùng")
    emu.add_group(GROUP, "Khối", members=[7], creator=7)  # a basic group: members may pin
    first = await bot.send_message(GROUP, "Đợt 1")
    second = await bot.send_message(GROUP, "Đợt 2")
    await bot.pin_chat_message(GROUP, first.message_id)
    await bot.pin_chat_message(GROUP, second.message_id)
    await bot.pin_chat_message(GROUP, first.message_id)
    assert emu.pinned(GROUP) == [second.message_id, first.message_id]
    assert await bot.unpin_chat_message(GROUP, first.message_id)
    assert emu.pinned(GROUP) == [second.message_id]
    with pytest.raises(BadRequest, match=r"(?i)message to unpin not found"):
        await bot.unpin_chat_message(GROUP, first.message_id)
    assert await bot.unpin_chat_message(GROUP)  # the most recent
    assert emu.pinned(GROUP) == []
    with pytest.raises(BadRequest, match=r"(?i)message to pin not found"):
        await bot.pin_chat_message(GROUP, 999)


async def test_a_deleted_message_is_no_longer_pinned(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(7, "Hùng", started=True)
    sent = await bot.send_message(7, "Riêng")  # private chats: the bot may pin
    await bot.pin_chat_message(7, sent.message_id)
    assert emu.pinned(7) == [sent.message_id]
    await bot.delete_message(7, sent.message_id)
    assert emu.pinned(7) == []
