"""Text formatting like the Bot API does it: parse_mode HTML → plain text plus entities (UTF-16
offsets) with Telegram's "can't parse entities" errors, the shared :class:`TextBuilder` (also used
by ``markdown.py``), and auto-detection of commands/mentions/links in what users type.

Telegram rejects the whole message on a formatting mistake, which is a classic production bug
(an unescaped ``<`` or ``.`` in user-provided text), so the checks here are deliberately strict
where Telegram is strict and lenient elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.models import JSON, ApiError, bad_request

_HTML_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*?)(/?)>")
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_ENTITY_REF_RE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")
_AUTO_RE = re.compile(
    r"(?P<bot_command>(?<![\w/])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?)(?![\w/])"
    r"|(?P<url>\bhttps?://[^\s<>\"]+)"
    r"|(?P<mention>(?<![\w@])@[a-zA-Z0-9_]{5,32})\b"
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode())


def _where(source: str, index: int) -> str:
    # Computed only when an error is raised: doing it for every tag would be O(n^2).
    return f"at byte offset {byte_offset(source, index)}"


def parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


class TextBuilder:
    """Accumulates output text with UTF-16 positions and finished entities."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.pos = 0  # UTF-16 offset of the end of the output
        self.entities: list[JSON] = []

    def add(self, text: str) -> None:
        self.chars.append(text)
        self.pos += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:  # Telegram drops empty entities
            self.entities.append({"type": kind, "offset": start, "length": self.pos - start,
                                  **extra})

    def finish(self) -> tuple[str, list[JSON]]:
        # Telegram trims surrounding whitespace of the final text and clips entities to it.
        text = "".join(self.chars)
        head = utf16_len(text) - utf16_len(text.lstrip())
        text = text.strip()
        size = utf16_len(text)
        out = []
        for ent in self.entities:
            start = max(ent["offset"] - head, 0)
            end = min(ent["offset"] + ent["length"] - head, size)
            if end > start:
                out.append({**ent, "offset": start, "length": end - start})
        out.sort(key=lambda e: (e["offset"], -e["length"]))
        return text, out


def _unescape_html(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        return _NAMED_ENTITIES.get(ref, match.group(0))

    return _ENTITY_REF_RE.sub(repl, text)


def _html_entity(tag: str, attrs: dict[str, str], at: int) -> tuple[str, JSON]:
    kind = _HTML_TYPES[tag]
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if tag == "a":
        href = attrs.get("href", "")
        if not href:
            return "", {}  # Telegram ignores links without a target
        return kind, {"url": href}
    if tag == "blockquote" and "expandable" in attrs:
        return "expandable_blockquote", {}
    if tag == "tg-emoji":
        return kind, {"custom_emoji_id": attrs.get("emoji-id", "")}
    return kind, {}


def parse_html(source: str) -> tuple[str, list[JSON]]:
    out = TextBuilder()
    stack: list[tuple[str, str, int, JSON]] = []  # tag, entity type, start, extra
    i = 0
    while i < len(source):
        lt = source.find("<", i)
        if lt < 0:
            out.add(_unescape_html(source[i:]))
            break
        out.add(_unescape_html(source[i:lt]))
        match = _TAG_RE.match(source, lt)
        if match is None:
            raise parse_error(f"Unexpected end of name token {_where(source, lt)}")
        closing, tag, attr_text = match.group(1), match.group(2).lower(), match.group(3)
        if tag not in _HTML_TYPES:
            raise parse_error(f'Unsupported start tag "{tag}" {_where(source, lt)}')
        if closing:
            if not stack:
                raise parse_error(f"Unexpected end tag {_where(source, lt)}")
            open_tag, kind, start, extra = stack.pop()
            if open_tag != tag:
                raise parse_error(
                    f'Unmatched end tag {_where(source, lt)}, expected "</{open_tag}>", '
                    f'found "</{tag}>"'
                )
            if kind:
                _close_html(out, stack, kind, start, extra)
        else:
            # Attribute values are HTML too: href="a?b=1&amp;c=2" links to a?b=1&c=2.
            attrs = {m.group(1).lower(): _unescape_html(m.group(2) or m.group(3)
                                                        or m.group(4) or "")
                     for m in _ATTR_RE.finditer(attr_text)}
            kind, extra = _html_entity(tag, attrs, byte_offset(source, lt))
            if tag == "code" and "class" in attrs:
                extra["class"] = attrs["class"]
            stack.append((tag, kind, out.pos, extra))
        i = match.end()
    if stack:
        raise parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.finish()


def _close_html(out: TextBuilder, stack: list[tuple[str, str, int, JSON]], kind: str,
                start: int, extra: JSON) -> None:
    # <pre><code class="language-x"> becomes a single pre entity with a language.
    css = extra.pop("class", "")
    if kind == "code" and stack and stack[-1][1] == "pre" and css.startswith("language-"):
        stack[-1][3]["language"] = css.removeprefix("language-")
        return
    out.entity(kind, start, **extra)


def detect_entities(text: str) -> list[JSON]:
    """Entities Telegram adds by itself to what users type: /commands, @mentions, links."""
    found = []
    for match in _AUTO_RE.finditer(text):
        kind = match.lastgroup or "url"
        offset = utf16_len(text[: match.start()])
        found.append({"type": kind, "offset": offset, "length": utf16_len(match.group(0))})
    return found
