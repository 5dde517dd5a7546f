"""A bot message's earlier states, for the transcript: the bot edits its messages in place
(a counter that moves, a report screen after each value, a panel after a press), so the
bubble shows the last state and a collapsed <details> holds every earlier one, oldest
first, each with its time, its text and its buttons."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from bot.demo import html_text

# A counter edited every few seconds would fill the page: the first and the last states
# are kept (where the story starts and how it ends), the middle is counted.
SHOWN_AT_EACH_END = 6

WORDS = {
    "vi": {"summary": "Xem {n} trạng thái trước của tin nhắn này",
           "original": "Bản đầu", "edit": "Sửa lần {k}", "skipped": "… {n} lần sửa khác …",
           "edited": "đã chỉnh sửa {n} lần, lần cuối {when}"},
    "en": {"summary": "Show this message's {n} earlier states",
           "original": "First sent", "edit": "Edit {k}", "skipped": "… {n} more edits …",
           "edited": "edited {n} times, last at {when}"},
}


def earlier_states(versions: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """(number, snapshot) of the states before the current one; 0 is the message as sent."""
    return list(enumerate(versions[:-1]))


def _state(number: int, state: dict[str, Any], words: dict[str, str],
           stamp: Callable[[int], str], keyboard: Callable[[dict[str, Any]], str]) -> str:
    label = words["original"] if number == 0 else words["edit"].format(k=number)
    text = state.get("text", state.get("caption"))
    entities = state.get("entities", state.get("caption_entities"))
    body = (f'<div class="body">{html_text.render(str(text), entities)}</div>'
            if text is not None else "")
    return (f'<li><div class="label">{html.escape(label)} <span class="at">· '
            f'{stamp(int(state["date"]))}</span></div>{body}{keyboard(state)}</li>')


def render(versions: list[dict[str, Any]], lang: str, stamp: Callable[[int], str],
           keyboard: Callable[[dict[str, Any]], str]) -> str:
    """The <details> block of a message's earlier states ("" when it was never edited)."""
    states = earlier_states(versions)
    if not states:
        return ""
    words = WORDS.get(lang, WORDS["vi"])
    if len(states) > 2 * SHOWN_AT_EACH_END:
        head, tail = states[:SHOWN_AT_EACH_END], states[-SHOWN_AT_EACH_END:]
        skipped = len(states) - len(head) - len(tail)
        items = [_state(n, s, words, stamp, keyboard) for n, s in head]
        items.append(f'<li class="skipped">{html.escape(words["skipped"].format(n=skipped))}'
                     "</li>")
        items += [_state(n, s, words, stamp, keyboard) for n, s in tail]
    else:
        items = [_state(n, s, words, stamp, keyboard) for n, s in states]
    summary = html.escape(words["summary"].format(n=len(states)))
    return (f'<details class="history"><summary>{summary}</summary>'
            f'<ol class="states">{"".join(items)}</ol></details>')


def edited_note(versions: list[dict[str, Any]], lang: str, stamp: Callable[[int], str]) -> str:
    """"edited 3 times, last at …" for the bubble's time line."""
    words = WORDS.get(lang, WORDS["vi"])
    return words["edited"].format(n=len(versions) - 1, when=stamp(int(versions[-1]["date"])))
