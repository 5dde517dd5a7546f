"""What users do: write, upload, press buttons, block the bot, add it to groups, upgrade groups.

Each action stores the resulting message in the chat and queues the Update the bot would get.
They are synchronous (just bookkeeping + a wake-up of waiting long polls), so tests can call them
without awaiting anything.
"""

from __future__ import annotations

from bot.sandbox import content
from bot.sandbox.markup import detect_entities
from bot.sandbox.methods import chat_member
from bot.sandbox.models import JSON, ApiError, SentMessage, Upload
from bot.sandbox.state import Chat, LogEvent, User, World

_PRESENT = ("creator", "administrator", "member", "restricted")


def private_chat(world: World, user: User) -> Chat:
    chat = world.chats.get(user.id)
    if chat is None:
        chat = world.chats[user.id] = Chat(id=user.id, type="private", user=user)
    return chat


def _target_chat(world: World, user: User, chat_id: int | None) -> Chat:
    if chat_id is None or chat_id == user.id:
        return private_chat(world, user)
    chat = world.chats.get(chat_id)
    if chat is None:
        raise KeyError(f"unknown chat {chat_id}; call add_group() first")
    if chat.migrated_to is not None:
        raise ValueError(f"chat {chat_id} was migrated to {chat.migrated_to}")
    if chat.members.get(user.id, "member") not in _PRESENT:
        raise ValueError(f"user {user.id} is not in chat {chat_id}")
    return chat


def _bot_hears(world: World, chat: Chat, text: str, fields: JSON) -> bool:
    """Whether Telegram would deliver this message to the bot at all."""
    if chat.user is not None:
        return True
    if chat.bot_status not in _PRESENT:
        return False
    if not world.privacy_mode or chat.bot_status in ("creator", "administrator"):
        return True
    # Privacy mode (BotFather's default): only commands, replies to the bot and mentions.
    replied = fields.get("reply_to_message", {}).get("from", {}).get("id")
    mention = f"@{world.bot_user['username']}".lower()
    return text.startswith("/") or replied == world.bot_id or mention in text.lower()


def _push_message(world: World, user: User, chat: Chat, fields: JSON, text: str) -> JSON:
    if chat.user is not None and chat.user.blocked:  # writing to the bot again unblocks it
        block_bot(world, user.id, blocked=False)
    if chat.user is not None:
        user.started = True
    delivered = _bot_hears(world, chat, text, fields)
    message = world.add_message(chat, user.as_user(), fields, kind="user", user_id=user.id,
                                delivered=delivered)
    if delivered:
        world.updates.push({"message": message})
    return message


def send_text(world: World, user_id: int, text: str, *, chat_id: int | None = None,
              reply_to_message_id: int | None = None,
              entities: list[JSON] | None = None) -> JSON:
    """`entities`: the formatting a client would send (bold, links, code blocks...); by
    default those Telegram finds by itself (commands, mentions, links)."""
    user = world.sender(user_id)
    chat = _target_chat(world, user, chat_id)
    fields: JSON = {"text": text}
    if entities is not None:
        content.check_entities(text, entities)
    if entities := entities if entities is not None else detect_entities(text):
        fields["entities"] = entities
    fields.update(world.reply_target(chat, reply_to_message_id, allow_missing=False))
    return _push_message(world, user, chat, fields, text)


def _caption(caption: str | None) -> JSON:
    if not caption:
        return {}
    fields: JSON = {"caption": caption}
    if entities := detect_entities(caption):
        fields["caption_entities"] = entities
    return fields


def send_photo(world: World, user_id: int, data: bytes, *, caption: str | None = None,
               chat_id: int | None = None) -> JSON:
    user = world.sender(user_id)
    chat = _target_chat(world, user, chat_id)
    try:
        width, height = content.image_size(data)
    except ApiError:  # users' clients always send real pictures; accept placeholder bytes
        width, height = 1280, 960
    sizes = []
    for limit in (90, 1280):
        w, h = content.scaled(width, height, limit)
        stored = world.store_file("photo", data, None, "image/jpeg", width=w, height=h)
        sizes.append({"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                      "file_size": stored.size, "width": w, "height": h})
        stored.photo_sizes = sizes
    return _push_message(world, user, chat, {"photo": sizes, **_caption(caption)},
                         caption or "")


def send_document(world: World, user_id: int, data: bytes, *, filename: str, mime_type: str,
                  caption: str | None = None, chat_id: int | None = None) -> JSON:
    user = world.sender(user_id)
    chat = _target_chat(world, user, chat_id)
    stored = world.store_file("document", data, filename, content.mime_of(
        Upload("document", filename, mime_type, data)))
    document = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_name": filename, "mime_type": stored.mime_type, "file_size": stored.size}
    return _push_message(world, user, chat, {"document": document, **_caption(caption)},
                         caption or "")


def press_button(world: World, user_id: int, message: JSON | SentMessage | int, data: str, *,
                 chat_id: int | None = None) -> JSON:
    user = world.sender(user_id)
    if isinstance(message, SentMessage):
        chat_id, message_id = message.chat_id, message.message_id
    elif isinstance(message, dict):
        chat_id, message_id = message["chat"]["id"], message["message_id"]
    else:
        message_id = message
    chat = _target_chat(world, user, chat_id)
    current = chat.message(message_id)
    if current is None:
        raise ValueError(f"message {message_id} in chat {chat.id} does not exist (or deleted)")
    label = next((b["text"] for row in current.get("reply_markup", {}).get("inline_keyboard", [])
                  for b in row if b.get("callback_data") == data), None)
    query_id = world.next_query_id()
    query = {"id": query_id, "from": user.as_user(), "message": current,
             "chat_instance": str((chat.id * 2654435761) % 10**19), "data": data}
    world.queries[query_id] = (user.id, chat.id, data)
    chat.log.append(LogEvent(kind="button", date=world.date(), message_id=message_id,
                             user_id=user.id, data=data, label=label))
    world.updates.push({"callback_query": query})
    return query


def press_button_text(world: World, user_id: int, message: SentMessage | JSON | int,
                      label: str, *, chat_id: int | None = None) -> JSON:
    if isinstance(message, SentMessage):
        chat_id, current = message.chat_id, message.message
    else:
        chat = _target_chat(world, world.sender(user_id),
                            message["chat"]["id"] if isinstance(message, dict) else chat_id)
        found = chat.message(message["message_id"] if isinstance(message, dict) else message)
        current = found or {}
    for row in current.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            if label in str(button.get("text")) and "callback_data" in button:
                return press_button(world, user_id, current, button["callback_data"])
    raise LookupError(f"no callback button labelled like {label!r} on that message")


def _member_update(world: World, chat: Chat, actor: JSON, member: JSON, old: str,
                   new: str) -> None:
    kind = "my_chat_member" if member.get("id") == world.bot_id else "chat_member"
    world.updates.push({kind: {"chat": chat.as_chat(), "from": actor, "date": world.date(),
                               "old_chat_member": chat_member(member, old),
                               "new_chat_member": chat_member(member, new)}})


def block_bot(world: World, user_id: int, blocked: bool = True) -> None:
    user = world.sender(user_id)
    if user.blocked == blocked:
        return
    user.blocked = blocked
    chat = private_chat(world, user)
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    _member_update(world, chat, user.as_user(), world.bot_user, old, new)


def set_member_status(world: World, chat_id: int, user_id: int, status: str, *,
                      by_user_id: int | None = None) -> None:
    chat_member({}, status)  # validates the status name
    chat = world.chats[chat_id]
    is_bot = user_id == world.bot_id
    old = chat.bot_status if is_bot else chat.members.get(user_id, "member")
    if is_bot:
        chat.bot_status = status
        member = world.bot_user
    else:
        chat.members[user_id] = status
        member = world.sender(user_id).as_user()
    actor_id = by_user_id or next((u for u, s in chat.members.items() if s == "creator"), user_id)
    actor = world.bot_user if actor_id == world.bot_id else world.sender(actor_id).as_user()
    if old != status:
        _member_update(world, chat, actor, member, old, status)


def _service(world: World, chat: Chat, user: User, fields: JSON, deliver: bool = True) -> JSON:
    message = world.add_message(chat, user.as_user(), fields, kind="service", user_id=user.id,
                                delivered=deliver)
    if deliver:
        world.updates.push({"message": message})
    return message


def add_bot_to_group(world: World, chat_id: int, by_user_id: int) -> JSON:
    chat = world.chats[chat_id]
    user = world.sender(by_user_id)
    chat.members.setdefault(user.id, "member")
    set_member_status(world, chat_id, world.bot_id, "member", by_user_id=by_user_id)
    return _service(world, chat, user, {"new_chat_members": [world.bot_user]})


def remove_bot_from_group(world: World, chat_id: int, by_user_id: int, *,
                          kicked: bool = True) -> None:
    set_member_status(world, chat_id, world.bot_id, "kicked" if kicked else "left",
                      by_user_id=by_user_id)


def migrate_group(world: World, chat_id: int, new_chat_id: int,
                  by_user_id: int | None = None) -> tuple[JSON, JSON]:
    old = world.chats[chat_id]
    if old.type != "group" or new_chat_id in world.chats:
        raise ValueError("only a basic group can be migrated, to an unused chat id")
    actor_id = by_user_id or next((u for u, s in old.members.items() if s == "creator"),
                                  next(iter(old.members), None))
    if actor_id is None:
        raise ValueError("the group needs a member to perform the upgrade (by_user_id)")
    user = world.sender(actor_id)
    new = world.chats[new_chat_id] = Chat(id=new_chat_id, type="supergroup", title=old.title,
                                          members=dict(old.members), bot_status=old.bot_status)
    deliver = old.bot_status in _PRESENT
    first = _service(world, old, user, {"migrate_to_chat_id": new_chat_id}, deliver)
    old.migrated_to = new_chat_id
    second = _service(world, new, user, {"migrate_from_chat_id": chat_id}, deliver)
    return first, second
