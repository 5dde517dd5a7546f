"""enqueue(): turn Outgoing messages into outbox rows inside the producer's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import to_json
from bot.outbox.model import Outgoing
from bot.outbox.split import CAPTION_LIMIT, TEXT_LIMIT, clip_html, split_text, visible_length
from storage import outbox as outbox_repo

MAX_KEY_LENGTH = 200  # the dedupe_key column


def parts_of(item: Outgoing) -> list[dict[str, Any]]:
    """The Telegram messages one Outgoing needs, in sending order."""
    if item.edit_message_id is not None and item.text is not None:
        # An edit cannot become several messages: what does not fit is clipped.
        return [{"kind": "edit", "text": clip_html(item.text, TEXT_LIMIT), "file": None,
                 "message_id": item.edit_message_id}]
    if item.text is not None:
        return [{"kind": "text", "text": part, "file": None} for part in split_text(item.text)]
    kind = "photo" if item.photo else "document"
    file = item.photo or item.document
    caption = item.caption or None
    if caption is None or visible_length(caption) <= CAPTION_LIMIT:
        return [{"kind": kind, "text": caption, "file": file}]
    # Telegram refuses a caption over 1024 characters: the file first, then the text.
    texts = split_text(caption, TEXT_LIMIT)
    return [{"kind": kind, "text": None, "file": file}] + [
        {"kind": "text", "text": part, "file": None} for part in texts
    ]


def row_of(item: Outgoing, key: str) -> dict[str, Any]:
    return {
        "batch": item.batch,
        "dedupe_key": key,
        "chat_id": item.chat_id,
        "parts": parts_of(item),
        "reply_markup": to_json(item.buttons),
        "tg_user_id": item.tg_user_id,
        "block_id": item.block_id,
    }


async def enqueue(conn: AsyncConnection, items: Sequence[Outgoing], now: datetime) -> int:
    """Add the messages to the outbox; returns how many were new (same key: added once).

    Runs in the caller's transaction, so a state change and the messages announcing it
    commit together or not at all. Call `outbox_of(app).wake()` after the commit.
    """
    keyed: list[tuple[str, Outgoing]] = []
    for item in items:
        key = item.dedupe_key or f"auto:{uuid.uuid4().hex}"
        if len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"dedupe_key longer than {MAX_KEY_LENGTH}: {key[:40]}…")
        keyed.append((key, item))
    taken = await outbox_repo.existing_keys(conn, [key for key, _ in keyed])
    rows = []
    for key, item in keyed:
        if key in taken:
            continue
        taken.add(key)
        rows.append(row_of(item, key))
    await outbox_repo.insert_rows(conn, rows, now)
    return len(rows)
