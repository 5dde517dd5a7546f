"""A press's screen and its answer go out together (handlers.report.common.answer_press)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from handlers.report.common import answer_press, show


class FakeQuery:
    """Edits (editMessageText through the bot) wait until the press is answered: sent one
    after the other, they never end."""

    def __init__(self) -> None:
        self.message = SimpleNamespace(chat=SimpleNamespace(id=501), message_id=7)
        self.answered = asyncio.Event()
        self.calls: list[tuple[str, Any]] = []

    async def edit_message_text(self, text: str, **kwargs: Any) -> Any:
        assert (kwargs["chat_id"], kwargs["message_id"]) == (501, 7)
        await asyncio.wait_for(self.answered.wait(), 2)
        self.calls.append(("edit", text))
        return True

    async def answer(self, text: str | None = None, show_alert: bool = False) -> None:
        self.calls.append(("answer", text))
        self.answered.set()


def _press() -> tuple[Any, Any, FakeQuery]:
    query = FakeQuery()
    update = SimpleNamespace(callback_query=query, effective_chat=None,
                             get_bot=lambda: query)  # the query fakes the bot's edit too
    context = SimpleNamespace(screens=None, t=lambda key, **_: f"<{key}>")
    return update, context, query


async def test_the_screen_and_the_answer_are_in_flight_together() -> None:
    update, context, query = _press()

    async def route() -> str | None:
        await show(update, context, "screen 1")
        return "report-saved"

    await answer_press(update, context, route)
    assert query.calls == [("answer", "<report-saved>"), ("edit", "screen 1")]
    assert context.screens is None


async def test_a_failing_route_shows_nothing_and_leaves_no_screens_behind() -> None:
    update, context, query = _press()

    async def route() -> str | None:
        await show(update, context, "half done")
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        await answer_press(update, context, route)
    assert query.calls == [] and context.screens is None


async def test_an_error_sending_the_screen_is_raised_once_both_are_done() -> None:
    update, context, query = _press()

    async def broken_edit(text: str, **kwargs: Any) -> None:
        raise OSError("network down")

    query.edit_message_text = broken_edit  # type: ignore[method-assign]

    async def route() -> str | None:
        await show(update, context, "screen")
        return None

    with pytest.raises(OSError):
        await answer_press(update, context, route)
    assert query.calls == [("answer", None)]  # the answer still went out
