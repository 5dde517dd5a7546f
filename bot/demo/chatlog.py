"""One chat of the emulator as HTML: messages as bubbles (the bot's on the left, people's on
the right), keyboards as buttons, presses and the bot's pop-up answers as small notes, day
separators, photos inline and documents as download links (data: URIs)."""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo import history, html_text
from bot.sandbox import BotApiEmulator

WEEKDAYS = {"vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
            "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                   "Sunday")}
WORDS = {
    "vi": {"pressed": "{who} bấm «{label}»",
           "toast": "🔔 Bot trả lời: {text}", "added": "{who} đã thêm {bot} vào nhóm",
           "invite": "(mở đường dẫn mời của đơn vị)", "photo": "Ảnh", "bot": "bot"},
    "en": {"pressed": "{who} pressed «{label}»",
           "toast": "🔔 The bot answers: {text}", "added": "{who} added {bot} to the group",
           "invite": "(opened the unit's invite link)", "photo": "Photo", "bot": "bot"},
}
DEEP_LINK_START = re.compile(r"^/start \S{12,}$")
_MAGIC = ((b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"%PDF", "application/pdf"),
          (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))


@dataclass(frozen=True)
class ChatInfo:
    chat_id: int
    anchor: str  # the section's id in the page
    title: str
    subtitle: str
    short: str  # for the timeline's links: "Nhóm", "VPTU"…


def mime_of(data: bytes, fallback: str = "application/octet-stream") -> str:
    return next((mime for magic, mime in _MAGIC if data.startswith(magic)), fallback)


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


def name_of(user: dict[str, Any] | None) -> str:
    if not user:
        return "?"
    return " ".join(str(user[k]) for k in ("first_name", "last_name") if user.get(k))


class ChatRenderer:
    def __init__(self, emu: BotApiEmulator, tz: ZoneInfo, lang: str,
                 units: dict[int, str]) -> None:
        self.emu, self.tz = emu, tz
        self.lang = lang if lang in WORDS else "vi"
        self.words = WORDS[self.lang]
        self.units = units  # user id -> unit code, shown after people's names
        self.bot_name = name_of(emu.bot_user)

    def local(self, stamp: int) -> datetime:
        return datetime.fromtimestamp(stamp, self.tz)

    def stamp(self, stamp: int) -> str:
        return self.local(stamp).strftime("%d/%m/%Y %H:%M")

    def day(self, stamp: int) -> str:
        moment = self.local(stamp)
        return f"{WEEKDAYS[self.lang][moment.weekday()]}, {moment:%d/%m/%Y}"

    def who(self, user: dict[str, Any] | None) -> str:
        name = html.escape(name_of(user))
        code = self.units.get(int(user["id"])) if user else None
        return f"{name} ({html.escape(code)})" if code else name

    def anchors(self, chat: ChatInfo) -> list[tuple[int, str]]:
        """(date, element id) of every entry, for links into the conversation."""
        return [(e["date"], f"{chat.anchor}-{n}") for n, e in
                enumerate(self.emu.chat_log(chat.chat_id))]

    def render(self, chat: ChatInfo) -> tuple[str, int]:
        """The chat's HTML and how many messages it holds.

        A press (and the bot's pop-up answer to it) is shown under the message that carries
        the button, since that message shows its final, edited state (its earlier states
        are folded inside it, with their times, so a press can be matched to its effect)."""
        entries = self.emu.chat_log(chat.chat_id)
        notes: dict[int, list[str]] = {}
        pressed: dict[tuple[Any, Any], int] = {}  # (user, data) -> message of the last press
        flow: list[tuple[int, dict[str, Any]]] = []
        for n, entry in enumerate(entries):
            key = ((entry.get("from") or {}).get("id"), entry.get("data"))
            target = entry.get("message_id") if entry["kind"] == "button" else (
                pressed.get(key) if entry["kind"] == "answer" else None)
            if target is None:
                flow.append((n, entry))
                continue
            pressed[key] = target
            note = self.note(entry, f"{chat.anchor}-{n}")
            if note:
                notes.setdefault(target, []).append(note)
        parts: list[str] = []
        last_day = ""
        count = 0
        for n, entry in flow:
            piece = self.entry(entry, f"{chat.anchor}-{n}")
            if not piece:
                continue
            day = self.day(entry["date"])
            if day != last_day:
                parts.append(f'<div class="day">{day}</div>')
                last_day = day
            parts.append(piece)
            parts += notes.get(entry.get("message_id", -1), []) if entry["kind"] == "bot" else []
            count += entry["kind"] in ("user", "bot")
        return "\n".join(parts), count

    def note(self, entry: dict[str, Any], anchor: str) -> str:
        """A press or a pop-up answer, with its own time (it may be days after the message)."""
        when = f' <span class="at">· {self.stamp(entry["date"])}</span>'
        if entry["kind"] == "button":
            label = entry.get("button_text") or entry.get("data") or ""
            text = self.words["pressed"].format(who=self.who(entry.get("from")),
                                                label=html.escape(str(label)))
            return f'<div class="note press" id="{anchor}">{text}{when}</div>'
        if not entry.get("text"):
            return ""
        text = self.words["toast"].format(text=html.escape(str(entry["text"])))
        return f'<div class="note toast" id="{anchor}">{text}{when}</div>'

    def entry(self, entry: dict[str, Any], anchor: str) -> str:
        kind = entry["kind"]
        if kind in ("button", "answer"):
            return self.note(entry, anchor)
        message = entry.get("message")
        if message is None or entry.get("deleted"):
            return ""
        if kind == "service":
            if "new_chat_members" not in message:
                return ""
            text = self.words["added"].format(who=self.who(entry.get("from")),
                                              bot=html.escape(self.bot_name))
            return f'<div class="note" id="{anchor}">{text}</div>'
        return self.bubble(entry, message, anchor)

    def bubble(self, entry: dict[str, Any], message: dict[str, Any], anchor: str) -> str:
        from_bot = entry["kind"] == "bot"
        if from_bot:
            who = (f'{html.escape(self.bot_name)}<span class="tag">'
                   f'{self.words["bot"]}</span>')
        else:
            who = self.who(entry.get("from"))
        body = self.media(message)
        text = message.get("text", message.get("caption"))
        entities = message.get("entities", message.get("caption_entities"))
        if text is not None:
            if not from_bot and DEEP_LINK_START.match(text):
                # Telegram shows only "/start" when someone opens an invite link.
                body += (f'<div class="body"><span class="cmd">/start</span> '
                         f'<i>{self.words["invite"]}</i></div>')
            else:
                body += f'<div class="body">{html_text.render(str(text), entities)}</div>'
        # The bubble is the message's last state; its earlier ones are folded under it.
        versions = entry["sent"].versions if entry.get("edits") else []
        edited = earlier = ""
        if versions:
            note = html.escape(history.edited_note(versions, self.lang, self.stamp))
            edited = f' · <span class="edited">{note}</span>'
            earlier = history.render(versions, self.lang, self.stamp, self.keyboard)
        side = "bot" if from_bot else "user"
        return (f'<div class="msg {side}" id="{anchor}"><div class="who">{who}</div>{body}'
                f'{self.keyboard(message)}<div class="when">{self.stamp(entry["date"])}'
                f"{edited}</div>{earlier}</div>")

    def media(self, message: dict[str, Any]) -> str:
        if "photo" in message:
            data = self.emu.file_bytes(message["photo"][-1]["file_id"])
            uri = data_uri(data, mime_of(data, "image/jpeg"))
            return f'<img src="{uri}" alt="{self.words["photo"]}">'
        if "document" in message:
            doc = message["document"]
            data = self.emu.file_bytes(doc["file_id"])
            name = str(doc.get("file_name") or "tep")
            mime = str(doc.get("mime_type") or mime_of(data))
            return (f'<a class="doc" download="{html.escape(name, quote=True)}" '
                    f'href="{data_uri(data, mime)}"><span class="icon">📄</span><span>'
                    f'{html.escape(name)}<br><span class="size">{size_text(len(data))}'
                    "</span></span></a>")
        return ""

    def keyboard(self, message: dict[str, Any]) -> str:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if not rows:
            return ""
        html_rows = "".join(
            '<div class="row">' + "".join(
                f'<span class="btn">{html.escape(str(b.get("text", "")))}</span>' for b in row)
            + "</div>" for row in rows)
        return f'<div class="kb">{html_rows}</div>'
