"""Chat histories for humans: structured entries (``chat_log``) and a plain-text rendering."""

from __future__ import annotations

import datetime as dtm

from bot.sandbox.models import JSON
from bot.sandbox.state import Chat, World


def chat_log(world: World, chat: Chat) -> list[JSON]:
    """Entries in order; message entries show the *current* message (after edits).

    Keys: ``kind`` ("user" | "bot" | "service" | "button" | "answer"), ``date``, ``from`` (user
    dict, the bot for "bot"), and as applicable ``message_id``, ``message``, ``sent``
    (SentMessage for bot messages), ``deleted``, ``delivered`` (False when Telegram would not
    have shown the message to the bot, e.g. privacy mode), ``edits``, ``data``, ``button_text``,
    ``text`` and ``show_alert`` (callback answers).
    """
    entries: list[JSON] = []
    for event in chat.log:
        entry: JSON = {"kind": event.kind, "date": event.date, "delivered": event.delivered}
        if event.user_id is not None and event.user_id in world.users:
            entry["from"] = world.users[event.user_id].as_user()
        if event.message_id is not None:
            entry["message_id"] = event.message_id
            entry["message"] = chat.messages.get(event.message_id)
            entry["deleted"] = event.message_id in chat.deleted
        if event.kind == "bot" and event.message_id is not None:
            sent = chat.sent[event.message_id]
            entry.update({"from": world.bot_user, "sent": sent, "edits": len(sent.edits)})
        if event.kind == "button":
            entry.update(data=event.data, button_text=event.label)
        if event.answer is not None:
            entry.update(data=event.data, text=event.answer.text,
                         show_alert=event.answer.show_alert)
        entries.append(entry)
    return entries


def _name(user: JSON | None) -> str:
    if not user:
        return "?"
    return str(user.get("first_name") or user.get("username") or user.get("id"))


def _body(message: JSON | None) -> str:
    if message is None:
        return ""
    if "text" in message:
        return str(message["text"])
    parts = []
    if "photo" in message:
        size = message["photo"][-1]
        parts.append(f"[photo {size['width']}x{size['height']}]")
    if "document" in message:
        doc = message["document"]
        parts.append(f"[document {doc.get('file_name', '')} {doc.get('file_size', 0)} B]")
    for key in ("new_chat_members", "migrate_to_chat_id", "migrate_from_chat_id"):
        if key in message:
            parts.append(f"[{key}: {message[key]}]")
    if "pinned_message" in message:
        parts.append(f"[pinned_message: {message['pinned_message']['message_id']}]")
    if message.get("caption"):
        parts.append(str(message["caption"]))
    return " ".join(parts)


def render_transcript(entries: list[JSON], tz: dtm.tzinfo = dtm.UTC) -> str:
    """``[HH:MM:SS] Name: text`` lines; keyboards under bot messages, presses and toasts."""
    lines = []
    for entry in entries:
        stamp = dtm.datetime.fromtimestamp(entry["date"], tz).strftime("%H:%M:%S")
        who = _name(entry.get("from"))
        kind = entry["kind"]
        if kind == "button":
            label = entry.get("button_text") or f"data={entry.get('data')!r}"
            lines.append(f"[{stamp}] {who} pressed [{label}]")
            continue
        if kind == "answer":
            if entry.get("text"):
                style = "alert" if entry.get("show_alert") else "toast"
                lines.append(f"[{stamp}] bot ({style}): {entry['text']}")
            continue
        flags = []
        if entry.get("edits"):
            flags.append(f"edited x{entry['edits']}")
        if entry.get("deleted"):
            flags.append("deleted")
        if not entry.get("delivered", True):
            flags.append("not seen by bot")
        suffix = f"  ({', '.join(flags)})" if flags else ""
        body = _body(entry.get("message")).replace("\n", "\n" + " " * 11)
        lines.append(f"[{stamp}] {who}: {body}{suffix}")
        markup = (entry.get("message") or {}).get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            lines.append(" " * 11 + " ".join(f"[{b.get('text')}]" for b in row))
    return "\n".join(lines)
