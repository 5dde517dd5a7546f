"""The Bot API method table, plus the methods that do not create messages."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox import messages
from bot.sandbox.models import JSON, CallbackAnswer, bad_request
from bot.sandbox.params import Params
from bot.sandbox.state import Chat, LogEvent, World
from bot.sandbox.updates import Webhook

Handler = Callable[[World, Params], Any | Awaitable[Any]]

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_SCOPES = frozenset({"default", "all_private_chats", "all_group_chats", "all_chat_administrators",
                     "chat", "chat_administrators", "chat_member"})
_ACTIONS = frozenset({"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                      "upload_voice", "upload_document", "choose_sticker", "find_location",
                      "record_video_note", "upload_video_note"})
MAX_DOWNLOAD = 20 * 1024 * 1024
_ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                 "can_restrict_members", "can_promote_members", "can_change_info",
                 "can_invite_users", "can_post_stories", "can_edit_stories",
                 "can_delete_stories", "can_pin_messages")
_MEMBER_RIGHTS = ("can_send_messages", "can_send_audios", "can_send_documents",
                  "can_send_photos", "can_send_videos", "can_send_video_notes",
                  "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
                  "can_add_web_page_previews", "can_change_info", "can_invite_users",
                  "can_pin_messages", "can_manage_topics", "can_edit_tag",
                  "can_react_to_messages")


def chat_member(user: JSON, status: str) -> JSON:
    """A ChatMember object with every field python-telegram-bot requires for ``status``."""
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(can_be_edited=False, is_anonymous=False,
                      **dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "restricted":
        member.update(is_member=True, until_date=0, **dict.fromkeys(_MEMBER_RIGHTS, False))
    elif status == "kicked":
        member["until_date"] = 0
    elif status not in ("member", "left"):
        raise ValueError(f"unknown chat member status {status!r}")
    return member


def get_me(world: World, p: Params) -> Any:
    return {**world.bot_user, "can_join_groups": True,
            "can_read_all_group_messages": not world.privacy_mode,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False}


async def get_updates(world: World, p: Params) -> Any:
    allowed = p.json_("allowed_updates")
    world.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    limit = p.int_("limit") or 100
    try:
        wait = float(p.get("timeout") or 0)
    except (TypeError, ValueError):
        raise bad_request('field "timeout" must be a number') from None
    return await world.updates.get_updates(p.int_("offset"), limit, wait, p.gone)


async def set_webhook(world: World, p: Params) -> Any:
    url = p.str_("url")
    if p.bool_("drop_pending_updates"):
        world.updates.drop_pending()
    if not url:  # an empty url removes the webhook, as on Telegram
        await world.updates.delete_webhook()
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.str_("secret_token")
    if secret is not None and not _SECRET_RE.match(secret):
        raise bad_request("secret token contains unallowed characters")
    allowed = p.json_("allowed_updates")
    world.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    world.updates.set_webhook(Webhook(url=url, secret_token=secret,
                                      max_connections=p.int_("max_connections") or 40,
                                      allowed_updates=allowed or None))
    return True


async def delete_webhook(world: World, p: Params) -> Any:
    if p.bool_("drop_pending_updates"):
        world.updates.drop_pending()
    await world.updates.delete_webhook()
    return True


def get_webhook_info(world: World, p: Params) -> Any:
    return world.updates.webhook_info()


def _scope_key(world: World, p: Params) -> tuple[str, str]:
    scope = p.json_("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    if "chat_id" in scope:
        world.lookup_chat(scope["chat_id"])
    return json.dumps(scope, sort_keys=True), p.str_("language_code") or ""


def set_my_commands(world: World, p: Params) -> Any:
    commands = p.json_("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_scope_key(world, p)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


def get_my_commands(world: World, p: Params) -> Any:
    return world.commands.get(_scope_key(world, p), [])


def delete_my_commands(world: World, p: Params) -> Any:
    world.commands.pop(_scope_key(world, p), None)
    return True


def get_file(world: World, p: Params) -> Any:
    stored = world.find_file(p.str_("file_id", required=True, empty_error="invalid file_id"))
    if stored.size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": stored.size, "file_path": stored.file_path}


def get_chat_member(world: World, p: Params) -> Any:
    chat = world.lookup_chat(p.get("chat_id"))
    user_id = p.int_("user_id", required=True)
    status = world.member_status(chat, user_id)
    user = world.bot_user if user_id == world.bot_id else world.users[user_id].as_user()
    return chat_member(user, status)


def get_chat(world: World, p: Params) -> Any:
    chat: Chat = world.lookup_chat(p.get("chat_id"))
    gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                           "premium_subscription", "gifts_from_channels"), False)
    found = {**chat.as_chat(), "accent_color_id": 0, "max_reaction_count": 11,
             "accepted_gift_types": gifts}
    pinned = chat.message(chat.pinned[-1]) if chat.pinned else None
    if pinned is not None:
        found["pinned_message"] = pinned
    return found


def send_chat_action(world: World, p: Params) -> Any:
    world.writable_chat(p.get("chat_id"))
    if p.str_("action") not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def answer_callback_query(world: World, p: Params) -> Any:
    query_id = p.str_("callback_query_id", required=True,
                      empty_error="QUERY_ID_INVALID")
    query = world.queries.pop(query_id, None)
    if query is None:  # unknown or already answered
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = p.str_("text")
    if text is not None and len(text.encode("utf-16-le")) // 2 > 200:  # UTF-16 units
        raise bad_request("MESSAGE_TOO_LONG")
    user_id, chat_id, data = query
    answer = CallbackAnswer(callback_query_id=query_id, user_id=user_id, chat_id=chat_id,
                            data=data, text=text, show_alert=p.bool_("show_alert"),
                            url=p.str_("url"), cache_time=p.int_("cache_time"),
                            date=world.date())
    world.answers.append(answer)
    if chat_id is not None and (chat := world.chats.get(chat_id)) is not None:
        chat.log.append(LogEvent(kind="answer", date=answer.date, user_id=user_id, data=data,
                                 answer=answer))
    return True


METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in {
        "getMe": get_me,
        "getUpdates": get_updates,
        "setWebhook": set_webhook,
        "deleteWebhook": delete_webhook,
        "getWebhookInfo": get_webhook_info,
        "sendMessage": messages.send_message,
        "sendPhoto": messages.send_photo,
        "sendDocument": messages.send_document,
        "editMessageText": messages.edit_message_text,
        "editMessageCaption": messages.edit_message_caption,
        "editMessageReplyMarkup": messages.edit_message_reply_markup,
        "deleteMessage": messages.delete_message,
        "pinChatMessage": messages.pin_chat_message,
        "unpinChatMessage": messages.unpin_chat_message,
        "answerCallbackQuery": answer_callback_query,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "getFile": get_file,
        "getChatMember": get_chat_member,
        "getChat": get_chat,
        "sendChatAction": send_chat_action,
    }.items()
}
"""Lowercased method name -> (canonical name, handler); Telegram matches names case-blind."""
