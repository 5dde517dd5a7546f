"""Bot API methods that create, edit or delete the bot's messages."""

from __future__ import annotations

from typing import Any, Literal

from bot.sandbox import content
from bot.sandbox.models import JSON, SentMessage, StoredFile, Upload, bad_request
from bot.sandbox.params import Params
from bot.sandbox.state import Chat, World

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _reply_fields(world: World, chat: Chat, p: Params) -> JSON:
    reply = p.json_("reply_parameters")
    if isinstance(reply, dict) and reply.get("message_id") is not None:
        target_chat = chat
        if reply.get("chat_id") not in (None, chat.id):
            target_chat = world.lookup_chat(reply["chat_id"])
        allow = bool(reply.get("allow_sending_without_reply"))
        return world.reply_target(target_chat, int(reply["message_id"]), allow_missing=allow)
    return world.reply_target(chat, p.int_("reply_to_message_id"),
                              allow_missing=p.bool_("allow_sending_without_reply"))


def _store_sent(world: World, chat: Chat, p: Params, *, kind: Literal["text", "photo", "document"],
                method: str, fields: JSON, source: str | None,
                file: StoredFile | None = None) -> JSON:
    markup = content.check_reply_markup(p.json_("reply_markup"))
    fields = {**fields, **_reply_fields(world, chat, p)}
    if (inline := content.inline_markup(markup)) is not None:
        fields["reply_markup"] = inline
    message = world.add_message(chat, world.bot_user, fields, kind="bot")
    sent = SentMessage(chat_id=chat.id, message_id=message["message_id"], date=message["date"],
                       kind=kind, method=method, message=message, source_text=source,
                       parse_mode=p.str_("parse_mode"), reply_markup=markup, file=file)
    sent.versions.append(_snapshot(sent, method))
    chat.sent[sent.message_id] = sent
    world.sent.append(sent)
    return message


def _snapshot(sent: SentMessage, method: str) -> JSON:
    msg = sent.message
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    return {"method": method, "date": msg.get("edit_date", msg["date"]),
            "source_text": sent.source_text, "parse_mode": sent.parse_mode,
            **{key: msg[key] for key in keys if key in msg}}


def send_message(world: World, p: Params) -> Any:
    chat = world.writable_chat(p.get("chat_id"))
    text = p.str_("text")
    fields = content.text_fields(text, p.str_("parse_mode"), p.json_("entities"))
    preview = p.json_("link_preview_options")
    if isinstance(preview, dict):
        fields["link_preview_options"] = preview
    return _store_sent(world, chat, p, kind="text", method="sendMessage", fields=fields,
                       source=text)


def _resolve_file(world: World, p: Params, name: Literal["photo", "document"]) -> StoredFile:
    ref = p.file_ref(name)
    if ref is None:
        raise bad_request(f"there is no {name} in the request")
    if isinstance(ref, Upload):
        content.check_upload(ref)
        if name == "photo":
            width, height = content.image_size(ref.data)
            return _store_photo(world, ref, width, height)
        return world.store_file("document", ref.data, ref.filename, content.mime_of(ref))
    if ref.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # the emulator never goes online
    stored = world.files.get(ref)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != name:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {name.title()}")
    return stored


def _store_photo(world: World, upload: Upload, width: int, height: int) -> StoredFile:
    # Telegram keeps several sizes; two are enough to exercise "take the largest" logic.
    # Both hold the original bytes (nothing is re-encoded).
    small_w, small_h = content.scaled(width, height, 90)
    big_w, big_h = content.scaled(width, height, 1280)
    thumb = world.store_file("photo", upload.data, upload.filename, "image/jpeg",
                             width=small_w, height=small_h)
    full = world.store_file("photo", upload.data, upload.filename, "image/jpeg",
                            width=big_w, height=big_h)
    thumb.photo_sizes = full.photo_sizes = [photo_size(thumb), photo_size(full)]
    return full


def photo_size(stored: StoredFile) -> JSON:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": stored.size, "width": stored.width, "height": stored.height}


def document_of(stored: StoredFile) -> JSON:
    doc: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                 "file_size": stored.size}
    if stored.filename:
        doc["file_name"] = stored.filename
    if stored.mime_type:
        doc["mime_type"] = stored.mime_type
    return doc


def _caption(p: Params) -> JSON:
    fields = content.caption_fields(p.str_("caption"), p.str_("parse_mode"),
                                    p.json_("caption_entities"))
    if p.bool_("show_caption_above_media"):
        fields["show_caption_above_media"] = True
    return fields


def send_photo(world: World, p: Params) -> Any:
    chat = world.writable_chat(p.get("chat_id"))
    fields = _caption(p)  # validated before the upload is stored, like Telegram
    stored = _resolve_file(world, p, "photo")
    fields = {"photo": list(stored.photo_sizes or [photo_size(stored)]), **fields}
    if p.bool_("has_spoiler"):
        fields["has_media_spoiler"] = True
    return _store_sent(world, chat, p, kind="photo", method="sendPhoto", fields=fields,
                       source=p.str_("caption"), file=stored)


def send_document(world: World, p: Params) -> Any:
    chat = world.writable_chat(p.get("chat_id"))
    fields = _caption(p)
    stored = _resolve_file(world, p, "document")
    return _store_sent(world, chat, p, kind="document", method="sendDocument",
                       fields={"document": document_of(stored), **fields},
                       source=p.str_("caption"), file=stored)


def _editable(world: World, p: Params) -> tuple[Chat, SentMessage]:
    if p.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # inline mode is not emulated
    chat = world.writable_chat(p.get("chat_id"))
    message_id = p.int_("message_id", required=True)
    if chat.message(message_id) is None:
        raise bad_request("message to edit not found")
    sent = chat.sent.get(message_id)
    if sent is None:
        raise bad_request("message can't be edited")
    return chat, sent


def _apply_edit(world: World, chat: Chat, sent: SentMessage, method: str, drop: tuple[str, ...],
                fields: JSON, markup: JSON | None, source: str | None = None,
                parse_mode: str | None = None) -> JSON:
    old = sent.message
    inline = content.inline_markup(markup)
    if markup is not None and inline is None:
        raise bad_request("inline keyboard expected")
    if all(old.get(k) == fields.get(k) for k in drop) and old.get("reply_markup") == inline:
        raise bad_request(_NOT_MODIFIED)
    # A new dict (never mutate): tests may still hold the previous version.  Like Telegram,
    # an edit without reply_markup removes the inline keyboard.
    message = {k: v for k, v in old.items() if k not in (*drop, "reply_markup")}
    message.update(fields)
    if inline is not None:
        message["reply_markup"] = inline
    message["edit_date"] = world.date()
    chat.messages[sent.message_id] = sent.message = message
    if method != "editMessageReplyMarkup":
        sent.source_text, sent.parse_mode = source, parse_mode
    sent.reply_markup = markup
    sent.versions.append(_snapshot(sent, method))
    return message


def edit_message_text(world: World, p: Params) -> Any:
    chat, sent = _editable(world, p)
    if sent.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text = p.str_("text")
    fields = content.text_fields(text, p.str_("parse_mode"), p.json_("entities"))
    if "link_preview_options" in sent.message:
        fields["link_preview_options"] = sent.message["link_preview_options"]
    markup = content.check_reply_markup(p.json_("reply_markup"))
    return _apply_edit(world, chat, sent, "editMessageText", ("text", "entities"), fields,
                       markup, text, p.str_("parse_mode"))


def edit_message_caption(world: World, p: Params) -> Any:
    chat, sent = _editable(world, p)
    if sent.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    markup = content.check_reply_markup(p.json_("reply_markup"))
    return _apply_edit(world, chat, sent, "editMessageCaption", ("caption", "caption_entities"),
                       _caption(p), markup, p.str_("caption"), p.str_("parse_mode"))


def edit_message_reply_markup(world: World, p: Params) -> Any:
    chat, sent = _editable(world, p)
    markup = content.check_reply_markup(p.json_("reply_markup"))
    return _apply_edit(world, chat, sent, "editMessageReplyMarkup", (), {}, markup)


def delete_message(world: World, p: Params) -> Any:
    chat = world.lookup_chat(p.get("chat_id"))
    message_id = p.int_("message_id", required=True)
    if chat.message(message_id) is None:
        raise bad_request("message to delete not found")
    chat.deleted.add(message_id)
    if (sent := chat.sent.get(message_id)) is not None:
        sent.deleted = True
    return True


# Pinning: in a supergroup only an administrator may pin (Telegram's "can_pin_messages"
# right); in a basic group and in a private chat the bot may, as members may by default.
_PIN_RIGHTS = "not enough rights to manage pinned messages in the chat"


def _pinnable(world: World, p: Params) -> Chat:
    chat = world.writable_chat(p.get("chat_id"))
    if chat.type == "supergroup" and chat.bot_status not in ("administrator", "creator"):
        raise bad_request(_PIN_RIGHTS)
    return chat


def pin_chat_message(world: World, p: Params) -> Any:
    chat = _pinnable(world, p)
    message_id = p.int_("message_id", required=True)
    target = chat.message(message_id)
    if target is None:
        raise bad_request("message to pin not found")
    if message_id in chat.pinned:
        chat.pinned.remove(message_id)
    chat.pinned.append(message_id)
    if chat.user is None:  # groups show "… pinned «…»" as a service message
        world.add_message(chat, world.bot_user, {"pinned_message": target}, kind="service",
                          delivered=False)
    return True


def unpin_chat_message(world: World, p: Params) -> Any:
    chat = _pinnable(world, p)
    message_id = p.int_("message_id")
    if message_id is None:  # the most recent pin
        if chat.pinned:
            chat.pinned.pop()
        return True
    if message_id not in chat.pinned:
        raise bad_request("message to unpin not found")
    chat.pinned.remove(message_id)
    return True
