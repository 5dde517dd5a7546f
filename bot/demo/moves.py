"""What people do in Telegram, and only through the emulator's user-side API: write, press
a button they can see, send a photo or a file. Each move takes a little simulated time
(people read and type) and returns once the bot has answered."""

from __future__ import annotations

from dataclasses import dataclass

from bot.demo.cast import Person
from bot.demo.stage import DemoError, Stage
from bot.sandbox import SentMessage

TYPE_MINUTES = 1.0  # reading the last answer and typing a line
PRESS_MINUTES = 0.3


def labels(message: SentMessage) -> list[str]:
    return [str(b.get("text", "")) for b in message.buttons if "callback_data" in b]


def find_button(message: SentMessage, label: str) -> dict[str, str]:
    """The button a person would recognise: same label, else one starting with it, else
    one containing it."""
    buttons = [b for b in message.buttons if "callback_data" in b]
    for test in (lambda t: t == label, lambda t: t.startswith(label), lambda t: label in t):
        for button in buttons:
            if test(str(button.get("text", ""))):
                return button
    raise DemoError(f"no button {label!r} on message {message.message_id} in chat "
                    f"{message.chat_id}; its buttons: {labels(message)}\n{message.text}")


def button_starting(message: SentMessage, prefix: str) -> str | None:
    """The label of the first button that starts with `prefix` ("2. " is criterion 2, not
    "12. "), or None; what a person looks for in a list of numbered buttons."""
    return next((str(b.get("text", "")) for b in message.buttons if "callback_data" in b
                 and str(b.get("text", "")).startswith(prefix)), None)


def has_button(message: SentMessage, label: str) -> bool:
    try:
        find_button(message, label)
    except DemoError:
        return False
    return True


@dataclass
class Moves:
    stage: Stage

    def chat_of(self, person: Person, chat_id: int | None) -> int:
        return person.user_id if chat_id is None else chat_id

    def newest(self, chat_id: int, after: int = 0) -> SentMessage | None:
        fresh = [m for m in self.stage.emu.sent_messages(chat_id) if m.message_id > after]
        return fresh[-1] if fresh else None

    def with_button(self, chat_id: int, label: str) -> SentMessage:
        """The newest bot message in the chat showing a button like `label`."""
        for message in reversed(self.stage.emu.sent_messages(chat_id)):
            if not message.deleted and has_button(message, label):
                return message
        raise DemoError(f"no message with a {label!r} button in chat {chat_id}")

    def _last_id(self, chat_id: int) -> int:
        sent = self.stage.emu.sent_messages(chat_id)
        return sent[-1].message_id if sent else 0

    async def say(self, person: Person, text: str, *, chat_id: int | None = None,
                  minutes: float = TYPE_MINUTES) -> SentMessage:
        """Write a message; returns the bot's newest answer in that chat."""
        await self.stage.pass_minutes(minutes)
        chat = self.chat_of(person, chat_id)
        before = self._last_id(chat)
        self.stage.emu.send_text(person.user_id, text, chat_id=chat_id)
        await self.stage.settle()
        answer = self.newest(chat, before)
        if answer is None:
            raise DemoError(f"the bot did not answer {text[:40]!r} of {person.name}")
        return answer

    async def press(self, person: Person, message: SentMessage, label: str, *,
                    minutes: float = PRESS_MINUTES) -> SentMessage:
        """Press a button; returns the bot's new message, or the pressed one (edited)."""
        button = find_button(message, label)
        await self.stage.pass_minutes(minutes)
        before = self._last_id(message.chat_id)
        self.stage.emu.press_button(person.user_id, message, button["callback_data"])
        await self.stage.settle()
        return self.newest(message.chat_id, before) or message

    async def press_newest(self, person: Person, label: str, *, chat_id: int | None = None,
                           minutes: float = PRESS_MINUTES) -> SentMessage:
        message = self.with_button(self.chat_of(person, chat_id), label)
        return await self.press(person, message, label, minutes=minutes)

    async def photo(self, person: Person, data: bytes, *, caption: str | None = None,
                    chat_id: int | None = None) -> SentMessage:
        await self.stage.pass_minutes(TYPE_MINUTES)
        chat = self.chat_of(person, chat_id)
        before = self._last_id(chat)
        self.stage.emu.send_photo(person.user_id, data, caption=caption, chat_id=chat_id)
        await self.stage.settle()
        return self._answer(chat, before, person, "photo")

    async def document(self, person: Person, data: bytes, *, filename: str, mime_type: str,
                       caption: str | None = None) -> SentMessage:
        await self.stage.pass_minutes(TYPE_MINUTES)
        before = self._last_id(person.user_id)
        self.stage.emu.send_document(person.user_id, data, filename=filename,
                                     mime_type=mime_type, caption=caption)
        await self.stage.settle()
        return self._answer(person.user_id, before, person, filename)

    def _answer(self, chat: int, before: int, person: Person, what: str) -> SentMessage:
        answer = self.newest(chat, before)
        if answer is None:
            raise DemoError(f"the bot did not answer the {what} of {person.name}")
        return answer
