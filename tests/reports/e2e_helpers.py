"""Moves of the report end-to-end tests, on top of the shared BotHarness."""

from __future__ import annotations

from bot.sandbox import SentMessage
from storage import blocks as blocks_repo
from tests.e2e.harness import BotHarness, Person
from tests.reports.helpers import FULL

FULL_LINES = FULL


def buttons(message: SentMessage) -> list[tuple[str, str]]:
    markup = message.reply_markup or {}
    return [(b["text"], b.get("callback_data", ""))
            for row in markup.get("inline_keyboard", []) for b in row]


def data_of(message: SentMessage, label: str) -> str:
    """The callback data of the button whose label is `label` (or starts with it)."""
    found = [d for text, d in buttons(message) if text == label]
    found = found or [d for text, d in buttons(message) if text.startswith(label)]
    assert found, f"no button {label!r} in {buttons(message)}"
    return found[0]


async def press(h: BotHarness, person: Person, message: SentMessage, label: str) -> SentMessage:
    """Press a button by label; returns the screen the bot shows afterwards. The bot
    answers the press and edits the screen at the same time (handlers.common.together), so
    the answer alone does not mean the screen is there: wait until the bot is quiet."""
    await h.press(person, message, data_of(message, label))
    await h.emu.wait_idle(quiet=0.05)
    fresh = h.emu.sent_messages(person.user_id)
    new = [m for m in fresh if m.message_id > message.message_id]
    return new[-1] if new else message


def answer_to(h: BotHarness, person: Person) -> str:
    answers = h.emu.callback_answers(person.user_id)
    return answers[-1].text or "" if answers else ""


async def phase_and_criteria(h: BotHarness) -> tuple[int, dict[str, int]]:
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    return tree.phases[0].id, {c.code: c.id for c in tree.criteria}


async def wait_text(h: BotHarness, chat_id: int, needle: str, after: object = None) -> str:
    found = await h.emu.wait_for_message(
        chat_id, after=after,  # type: ignore[arg-type]
        predicate=lambda m: needle in (m.text or ""),
    )
    return found.text or ""


async def say_expect(
    h: BotHarness, person: Person, text: str, needle: str, *, chat_id: int | None = None
) -> SentMessage:
    """Send a message (in private, or in `chat_id`) and return the bot's answer there
    containing `needle` (other messages, such as outbox notices, may arrive in between)."""
    mark = h.emu.mark()
    h.emu.send_text(person.user_id, text, chat_id=chat_id)
    return await h.emu.wait_for_message(
        chat_id or person.user_id, after=mark, predicate=lambda m: needle in (m.text or ""))
