"""The covenant's messages: the text split for Telegram, its parts, the sign button.

Rendering lives here, next to the services that queue messages from inside their own
transaction (the outbox is crash-safe because of that), and is shared with the handlers
that show the covenant on request. Buttons are plain data (bot.buttons) with callback
data from bot.services.covenant.callbacks.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.buttons import Button, Buttons
from bot.formatting import format_datetime, prefix_within, utf16_len
from bot.services.covenant.callbacks import sign_data
from bot.services.covenant.hash import (
    CovenantContent,
    PledgeContent,
    commitments_changed,
    target_text,
)
from bot.texts import Catalog, Html
from storage.records import Block

# Telegram's limit on a message text (Bot API sendMessage). Counted on the HTML source, in
# UTF-16 units as Telegram counts: never shorter than the text Telegram measures after
# parsing the tags.
MAX_MESSAGE = 4096
PART_SEPARATOR = "\n\n"


def sign_button(label: str, version_id: int, unit_id: int) -> tuple[str, str]:
    """«✍️ Ký giao ước» for a unit and a published version, as (label, callback_data);
    the press goes through handlers.covenant.sign.sign_pressed, which re-checks who presses
    and for which unit."""
    return label, sign_data(version_id, unit_id)


def button_row(buttons: Sequence[tuple[str, str]]) -> Buttons:
    """One row of inline buttons from (label, callback_data) pairs."""
    return (tuple(Button(label, data) for label, data in buttons),)


def split_chunks(chunks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack self-contained HTML chunks (title, preamble, one commitment...) into messages of
    at most `limit` characters, cutting only between chunks; a chunk longer than a whole
    message is cut at spaces (it carries no tags, so no tag is ever cut in two)."""
    pieces: list[str] = []
    for chunk in chunks:
        pieces.extend([chunk] if utf16_len(chunk) <= limit else _cut_long(chunk, limit))
    messages: list[str] = []
    current = ""
    for piece in pieces:
        candidate = current + PART_SEPARATOR + piece if current else piece
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = piece
    if current:
        messages.append(current)
    return messages


def _cut_long(text: str, limit: int) -> list[str]:
    out: list[str] = []
    while utf16_len(text) > limit:
        room = prefix_within(text, limit)
        cut = text.rfind(" ", 0, room + 1)
        if cut <= 0:
            cut = room
            # never cut an HTML entity such as &amp; in two
            amp = text.rfind("&", max(0, cut - 8), cut)
            if amp != -1 and ";" not in text[amp:cut]:
                cut = amp
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        out.append(text)
    return out


def covenant_chunks(content: CovenantContent) -> list[str]:
    chunks = [f"<b>{html.escape(content.title, quote=False)}</b>"]
    if content.preamble:
        chunks.append(html.escape(content.preamble, quote=False))
    chunks += [f"{n}. {html.escape(c, quote=False)}"
               for n, c in enumerate(content.commitments, start=1)]
    return chunks


def pledge_chunk(texts: Catalog, lang: str, pledge: PledgeContent) -> str:
    lines = [texts.text(lang, "covenant-pledge-heading", unit=pledge.unit_name,
                        code=pledge.unit_code)]
    if pledge.slogan:
        lines.append(texts.text(lang, "covenant-pledge-slogan", slogan=pledge.slogan))
    else:
        lines.append(texts.text(lang, "covenant-pledge-no-slogan"))
    for t in pledge.targets:
        lines.append(texts.text(lang, "covenant-pledge-target", title=t.title,
                                value=target_text(t, lang)))
    if not pledge.targets:
        lines.append(texts.text(lang, "covenant-pledge-no-targets"))
    return "\n".join(lines)


def covenant_messages(
    texts: Catalog, lang: str, *, heading: str | None, content: CovenantContent,
    pledge: PledgeContent | None, footer: str | None,
) -> list[str]:
    """The covenant as Telegram messages: heading, text, the unit's section, footer."""
    chunks = [heading] if heading else []
    chunks += covenant_chunks(content)
    if pledge is not None:
        chunks.append(pledge_chunk(texts, lang, pledge))
    if footer:
        chunks.append(footer)
    return split_chunks(chunks)


def sign_by_text(texts: Catalog, lang: str, block: Block) -> Html:
    """ " trước 17:00 17/03/2023" or nothing, for sentences that ask units to sign."""
    covenant = block.settings.get("covenant") or {}
    raw = covenant.get("sign_by")
    if not raw:
        return Html("")
    when = datetime.fromisoformat(raw)
    return texts.html(lang, "covenant-sign-by", when=format_datetime(when, block.tz))


def describe_changes(
    texts: Catalog, lang: str, old: dict[str, Any], new: dict[str, Any]
) -> str:
    """What changed between two versions, for the group: "tiêu đề; bổ sung cam kết số 6"."""
    parts: list[str] = []
    if old.get("title") != new.get("title"):
        parts.append(texts.text(lang, "covenant-change-title"))
    if old.get("preamble") != new.get("preamble"):
        parts.append(texts.text(lang, "covenant-change-preamble"))
    diff = commitments_changed(old.get("commitments", []), new.get("commitments", []))
    for what in ("changed", "added", "removed"):
        if diff[what]:
            numbers = ", ".join(str(n) for n in diff[what])
            parts.append(texts.text(lang, f"covenant-change-{what}", numbers=numbers))
    return "; ".join(parts) or texts.text(lang, "covenant-change-wording")
