"""Plain Bot API calls through a real python-telegram-bot Bot."""

from __future__ import annotations

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from telegram.error import BadRequest, ChatMigrated, EndPointNotFound, Forbidden, InvalidToken

from bot.sandbox import BotApiEmulator

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="ok:1")]])


async def test_get_me(bot: Bot, emu: BotApiEmulator) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "thidua_test_bot" and me.id == 123456
    assert me.can_join_groups and me.can_read_all_group_messages is False
    assert emu.calls[0].method == "getMe" and emu.calls[0].ok


async def test_send_and_edit(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    sent = await bot.send_message(5, "<b>Xin chào</b> &amp; chúc <i>vui</i>", parse_mode="HTML",
                                  reply_markup=KEYBOARD)
    assert sent.text == "Xin chào & chúc vui"
    assert [e.type for e in sent.entities] == ["bold", "italic"]
    assert sent.from_user is not None and sent.from_user.id == 123456
    assert sent.message_id == 1 and sent.chat.id == 5
    assert sent.reply_markup == KEYBOARD

    edited = await bot.edit_message_text("Đã sửa", chat_id=5, message_id=sent.message_id,
                                         reply_markup=KEYBOARD)
    assert isinstance(edited, Message)
    assert edited.text == "Đã sửa" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Đã sửa", chat_id=5, message_id=sent.message_id,
                                    reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=5, message_id=999)
    # Like Telegram: an edit without reply_markup drops the keyboard.
    plain = await bot.edit_message_text("Đã sửa", chat_id=5, message_id=sent.message_id)
    assert isinstance(plain, Message) and plain.reply_markup is None
    await bot.edit_message_reply_markup(5, sent.message_id, reply_markup=KEYBOARD)

    record = emu.last_sent(5)
    assert record.text == "Đã sửa" and record.source_text == "Đã sửa"
    assert [v["method"] for v in record.versions] == [
        "sendMessage", "editMessageText", "editMessageText", "editMessageReplyMarkup"]
    assert record.versions[0]["source_text"].startswith("<b>Xin chào</b>")
    assert record.button("Đồng ý")["callback_data"] == "ok:1"

    assert await bot.delete_message(5, sent.message_id)
    assert emu.last_sent(5).deleted
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(5, sent.message_id)


async def test_replies_and_ids(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    question = emu.send_text(5, "hỏi")
    answer = await bot.send_message(5, "đáp",
                                    reply_parameters=ReplyParameters(question["message_id"]))
    assert answer.reply_to_message is not None and answer.reply_to_message.text == "hỏi"
    assert answer.message_id == question["message_id"] + 1
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(5, "x", reply_to_message_id=77)


async def test_text_rules(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(5, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(5, "điểm < 5 <b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)Character '.' is reserved"):
        await bot.send_message(5, "Tổng: 9.5", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(5, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("a", callback_data="x" * 65)]]))
    ok = await bot.send_message(5, "*Tổng*: 9\\.5", parse_mode="MarkdownV2")
    assert ok.text == "Tổng: 9.5" and ok.entities[0].type == "bold"
    assert len(emu.sent_messages(5)) == 1  # rejected sends left no trace


async def test_access_rules(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(5, "hi")
    emu.send_text(5, "/start")
    await bot.send_message(5, "hi")
    emu.block_bot(5)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(5, "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(404, "hi")
    kinds = [next(k for k in u if k != "update_id") for u in emu.pending_updates()]
    assert kinds == ["message", "my_chat_member"]


async def test_migration(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    emu.add_group(-100, "Khối 5", members=[5], creator=5)
    await bot.send_message(-100, "trước")
    old_msg, new_msg = emu.migrate_group_to_supergroup(-100, -1001234)
    assert old_msg["migrate_to_chat_id"] == -1001234
    assert new_msg["migrate_from_chat_id"] == -100
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-100, "sau")
    assert caught.value.new_chat_id == -1001234
    moved = await bot.send_message(caught.value.new_chat_id, "sau")
    assert moved.chat.type == "supergroup"


async def test_members_commands_chat(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    emu.add_user(6, "Bình")
    emu.add_group(-100, "Khối 5", members=[5, 6], creator=5)
    emu.set_member_status(-100, 6, "administrator")
    assert isinstance(await bot.get_chat_member(-100, 5), ChatMemberOwner)
    assert isinstance(await bot.get_chat_member(-100, 6), ChatMemberAdministrator)
    emu.add_user(7, "Chi")
    assert isinstance(await bot.get_chat_member(-100, 7), ChatMemberMember)
    chat = await bot.get_chat(-100)
    assert chat.title == "Khối 5" and chat.type == "group"

    commands = [BotCommand("start", "Bắt đầu"), BotCommand("help", "Trợ giúp")]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands(commands[:1], scope=BotCommandScopeAllGroupChats(),
                                     language_code="vi")
    assert list(await bot.get_my_commands()) == commands
    assert emu.my_commands({"type": "all_group_chats"}, "vi") == [
        {"command": "start", "description": "Bắt đầu"}]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "x")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.send_chat_action(-100, "typing")


async def test_unknown_method_and_wrong_token(bot: Bot, emu: BotApiEmulator) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    async with httpx.AsyncClient() as client:
        raw = await client.post(f"{emu.url}/bot{emu.token}/sendTelepathy")
        assert raw.status_code == 404
        assert raw.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        # Method names are case-insensitive and JSON bodies work, as on Telegram.
        me = await client.post(f"{emu.url}/bot{emu.token}/getme", json={})
        assert me.json()["result"]["username"] == "thidua_test_bot"
        wrong = await client.get(f"{emu.url}/bot999:WRONG/getMe")
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):  # Bot.initialize() calls getMe
        async with Bot("999:WRONG-TOKEN", base_url=f"{emu.url}/bot"):
            pass


async def test_bot_joins_and_leaves_group(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    emu.add_group(-200, "Lớp 5A", members=[5], creator=5, bot_is_member=False)
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the group chat"):
        await bot.send_message(-200, "x")
    emu.add_bot_to_group(-200, by_user_id=5)
    updates = await bot.get_updates(timeout=0)
    assert updates[0].my_chat_member is not None
    assert updates[0].my_chat_member.new_chat_member.status == "member"
    assert updates[1].message is not None
    assert updates[1].message.new_chat_members[0].id == emu.bot_user["id"]
    await bot.send_message(-200, "Chào cả lớp")
    emu.remove_bot_from_group(-200, by_user_id=5)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the group chat"):
        await bot.send_message(-200, "x")
    final = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert final[0].my_chat_member is not None
    assert final[0].my_chat_member.new_chat_member.status == "kicked"
