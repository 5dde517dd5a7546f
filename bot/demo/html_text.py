"""A Telegram text with its entities (offsets in UTF-16 units) as safe HTML for the page.

Links are shown, never followed: the page must work offline and send no one anywhere, so
a link becomes underlined text with its address in a tooltip.
"""

from __future__ import annotations

import html
from itertools import pairwise
from typing import Any

_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "code": ("<code>", "</code>"),
    "pre": ('<code class="pre">', "</code>"),
    "spoiler": ('<span class="spoiler">', "</span>"),
    "blockquote": ('<span class="quote">', "</span>"),
    "expandable_blockquote": ('<span class="quote">', "</span>"),
    "bot_command": ('<span class="cmd">', "</span>"),
    "mention": ('<span class="mention">', "</span>"),
    "hashtag": ('<span class="mention">', "</span>"),
    "url": ('<span class="link">', "</span>"),
    "email": ('<span class="link">', "</span>"),
    "phone_number": ('<span class="link">', "</span>"),
}


def _open(entity: dict[str, Any]) -> tuple[str, str]:
    kind = entity.get("type", "")
    if kind == "text_link":
        title = html.escape(str(entity.get("url", "")), quote=True)
        return f'<span class="link" title="{title}">', "</span>"
    return _TAGS.get(kind, ("", ""))


def render(text: str, entities: list[dict[str, Any]] | None = None) -> str:
    """HTML of `text` with its formatting; newlines are kept by the page's CSS."""
    if not entities:
        return html.escape(text, quote=False)
    units = text.encode("utf-16-le")
    length = len(units) // 2
    cuts = {0, length}
    for e in entities:
        start = int(e.get("offset", 0))
        cuts.update((max(0, min(start, length)),
                     max(0, min(start + int(e.get("length", 0)), length))))
    # Each piece between two cuts gets the tags of the entities covering it, opened in
    # a fixed order and closed at once: always well nested, whatever Telegram overlaps.
    ordered = sorted(entities, key=lambda e: (int(e.get("offset", 0)), -int(e.get("length", 0))))
    out = []
    points = sorted(cuts)
    for a, b in pairwise(points):
        piece = units[a * 2:b * 2].decode("utf-16-le", errors="replace")
        active = [_open(e) for e in ordered
                  if int(e.get("offset", 0)) <= a and b <= int(e.get("offset", 0))
                  + int(e.get("length", 0))]
        out.append("".join(o for o, _ in active) + html.escape(piece, quote=False)
                   + "".join(c for _, c in reversed(active)))
    return "".join(out)
