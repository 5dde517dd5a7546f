"""Updates read one at a time, so one the library cannot build does not stop the others.

python-telegram-bot builds a getUpdates batch in one go (Update.de_list): one update it
cannot build fails the whole batch, and the Updater asks for the same offset again, for
ever. Here each update of a batch is built on its own first (Update.de_json works without a
bot); one that fails is replaced by its bare `{"update_id": N}`, an Update with no content
that every handler passes over, so PTB confirms it with the next offset and goes on. The
skip is counted and logged once (bot.unreadable).
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.unreadable import UnreadableUpdates, reason_of


def update_id_of(data: object) -> int | None:
    """The update's id, when `data` is a JSON object with an integer `update_id`."""
    if not isinstance(data, dict):
        return None
    value = data.get("update_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def build_problem(data: object) -> str | None:
    """Why python-telegram-bot cannot build this update, or None when it can."""
    if update_id_of(data) is None:
        return "not an update (no integer update_id)"
    try:
        Update.de_json(data, None)  # type: ignore[arg-type]
    except Exception as exc:  # whatever the library raises on a shape it does not know
        return reason_of(exc)
    return None


def screened(batch: list[Any], unreadable: UnreadableUpdates, *, via: str) -> list[Any]:
    """The batch with every unreadable update replaced by its bare id (dropped when it has
    none: Telegram never sends such a thing, and no offset can name it)."""
    kept: list[Any] = []
    for data in batch:
        problem = build_problem(data)
        if problem is None:
            kept.append(data)
            continue
        update_id = update_id_of(data)
        unreadable.note(update_id, problem, via=via)
        if update_id is not None:
            kept.append({"update_id": update_id})
    return kept
