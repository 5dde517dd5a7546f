"""A person's formatted message (text + entities, as Telegram delivers it) as Telegram HTML.

A chair writes a notice with bold, links or code blocks; the bot sends it on with
parse_mode HTML, so the entities must become tags again. Everything that came from the
person is escaped: the text, and also the values that land inside attributes (a link's
address, a code block's language, a custom emoji's id), quotes included. PTB's
Message.text_html leaves those attribute values as they are (22.x), so a link to
`https://x/"><b>` made the HTML unreadable to Telegram ("can't parse entities") and the
chair's preview failed (issue 26).

Offsets and lengths are in UTF-16 code units, like everything in the Bot API. Entities
that cross each other are closed and opened again around the crossing, so the tags are
always nested properly.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from typing import Any, Protocol


class Entity(Protocol):
    """What is read of an entity (PTB's MessageEntity has these attributes)."""

    @property
    def type(self) -> str: ...
    @property
    def offset(self) -> int: ...
    @property
    def length(self) -> int: ...
    @property
    def url(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def custom_emoji_id(self) -> str | None: ...
    @property
    def user(self) -> Any: ...


_SIMPLE = {
    "bold": "b", "italic": "i", "underline": "u", "strikethrough": "s",
    "spoiler": "tg-spoiler", "code": "code", "blockquote": "blockquote",
}


def attribute(value: object) -> str:
    """A value for inside a double-quoted HTML attribute."""
    return html.escape(str(value), quote=True)


def _tags(entity: Entity) -> tuple[str, str] | None:
    """(opening, closing) tags of an entity; None for what Telegram finds by itself in the
    text (links, mentions, commands, hashtags...) or what HTML cannot carry."""
    kind = str(entity.type)
    if kind in _SIMPLE:
        name = _SIMPLE[kind]
        return f"<{name}>", f"</{name}>"
    if kind == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if kind == "pre":
        if entity.language:
            return f'<pre><code class="language-{attribute(entity.language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link" and entity.url:
        return f'<a href="{attribute(entity.url)}">', "</a>"
    if kind == "text_mention" and entity.user is not None:
        return f'<a href="tg://user?id={int(entity.user.id)}">', "</a>"
    if kind == "custom_emoji" and entity.custom_emoji_id:
        return f'<tg-emoji emoji-id="{attribute(entity.custom_emoji_id)}">', "</tg-emoji>"
    return None


def to_html(text: str | None, entities: Sequence[Entity] | None) -> str:
    """`text` with its `entities` as Telegram HTML (empty for no text)."""
    if not text:
        return ""
    units = text.encode("utf-16-le")
    size = len(units) // 2
    spans: list[tuple[int, int, int, tuple[str, str]]] = []  # start, end, order, tags
    for order, entity in enumerate(entities or ()):
        tags = _tags(entity)
        start, end = max(0, entity.offset), min(size, entity.offset + entity.length)
        if tags is not None and end > start:
            spans.append((start, end, order, tags))
    if not spans:
        return html.escape(text, quote=False)
    # Outer entities first: the earlier start, then the longer one.
    spans.sort(key=lambda s: (s[0], -s[1], s[2]))
    cuts = sorted({0, size, *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[str] = []
    stack: list[tuple[int, int, int, tuple[str, str]]] = []
    for lo, hi in itertools.pairwise(cuts):
        wanted = [s for s in spans if s[0] <= lo and hi <= s[1]]
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] == wanted[keep]:
            keep += 1
        out.extend(s[3][1] for s in reversed(stack[keep:]))
        out.extend(s[3][0] for s in wanted[keep:])
        stack = wanted
        piece = units[lo * 2 : hi * 2].decode("utf-16-le", errors="replace")  # forged offsets
        out.append(html.escape(piece, quote=False))
    out.extend(s[3][1] for s in reversed(stack))
    return "".join(out)
