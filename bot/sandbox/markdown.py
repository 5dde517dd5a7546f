"""MarkdownV2 and legacy Markdown parsing into plain text + entities, like the Bot API.

MarkdownV2 is strict: every reserved character outside an entity must be escaped, and a forgotten
``\\.`` in a dynamic text makes Telegram reject the message.  Reproducing that catches real bugs.
"""

from __future__ import annotations

from bot.sandbox.markup import TextBuilder, byte_offset, parse_error
from bot.sandbox.models import JSON, ApiError

_MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")

_MD_NAMES = {"bold": "Bold", "italic": "Italic", "underline": "Underline",
             "strikethrough": "Strikethrough", "spoiler": "Spoiler", "text_link": "TextUrl",
             "custom_emoji": "CustomEmoji"}


def parse_markdown(source: str, *, v2: bool) -> tuple[str, list[JSON]]:
    """MarkdownV2 (``v2=True``) or legacy Markdown to text + entities."""
    out = TextBuilder()
    stack: list[tuple[str, int, int]] = []  # entity type, output start, source byte offset
    quote_start: int | None = None
    i, n = 0, len(source)

    def reserved(ch: str) -> ApiError:
        return parse_error(f"Character '{ch}' is reserved and must be escaped with the "
                            "preceding '\\'")

    while i < n:
        ch = source[i]
        at = i  # a character index; converted to a byte offset only for error texts
        line_start = i == 0 or source[i - 1] == "\n"
        if ch == "\\" and i + 1 < n and (v2 or source[i + 1] in "_*`["):
            out.add(source[i + 1])
            i += 2
            continue
        if v2 and line_start and ch == ">":
            if quote_start is None:
                quote_start = out.pos
            i += 1
            continue
        if ch == "\n" and quote_start is not None and not source.startswith(">", i + 1):
            out.entity("blockquote", quote_start)
            quote_start = None
        if ch == "`":
            i = _md_code(source, i, out, v2)
            continue
        marker = {"*": "bold", "~": "strikethrough" if v2 else "", "_": "italic"}.get(ch)
        if v2 and source.startswith("__", i):
            marker, ch = "underline", "__"
        elif v2 and source.startswith("||", i):
            marker, ch = "spoiler", "||"
        if marker:
            open_types = [entry[0] for entry in stack]
            if marker in open_types:
                idx = len(open_types) - 1 - open_types[::-1].index(marker)
                _, start, _ = stack.pop(idx)
                out.entity(marker, start)
            else:
                stack.append((marker, out.pos, at))
            i += len(ch)
            continue
        if ch == "[" or (v2 and ch == "!" and source.startswith("![", i)):
            kind = "custom_emoji" if ch == "!" else "text_link"
            stack.append((kind, out.pos, at))
            i += 2 if ch == "!" else 1
            continue
        if ch == "]" and stack and stack[-1][0] in ("text_link", "custom_emoji"):
            kind, start, _ = stack.pop()
            if not source.startswith("(", i + 1):
                raise reserved("]")
            end = i + 2
            url: list[str] = []
            while end < n and source[end] != ")":
                if source[end] == "\\" and end + 1 < n:
                    end += 1
                url.append(source[end])
                end += 1
            if end >= n:
                raise parse_error(
                    f"Can't find end of a URL at byte offset {byte_offset(source, at)}"
                )
            target = "".join(url)
            if kind == "custom_emoji":
                out.entity(kind, start, custom_emoji_id=target.rpartition("=")[2])
            else:
                out.entity(kind, start, url=target)
            i = end + 1
            continue
        if v2 and ch in _MD2_RESERVED:
            raise reserved(ch)
        out.add(ch)
        i += 1
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    if stack:
        kind, _, at = stack[-1]
        raise parse_error(f"Can't find end of {_MD_NAMES.get(kind, kind)} entity at byte "
                           f"offset {byte_offset(source, at)}")
    return out.finish()


def _md_code(source: str, i: int, out: TextBuilder, v2: bool) -> int:
    """Parses `code` or ```pre``` starting at ``i``; returns the index after it."""
    fence = "```" if source.startswith("```", i) else "`"
    j = i + len(fence)
    language = ""
    if fence == "```":
        newline = source.find("\n", j)
        first_line = source[j:newline] if newline >= 0 else ""
        if newline >= 0 and first_line and " " not in first_line and "`" not in first_line:
            language, j = first_line, newline + 1
    start = out.pos
    while j < len(source):
        if v2 and source[j] == "\\" and j + 1 < len(source):
            out.add(source[j + 1])
            j += 2
            continue
        if source.startswith(fence, j):
            if fence == "```":
                out.entity("pre", start, **({"language": language} if language else {}))
            else:
                out.entity("code", start)
            return j + len(fence)
        out.add(source[j])
        j += 1
    kind = "Pre" if fence == "```" else "Code"
    raise parse_error(
        f"Can't find end of {kind} entity at byte offset {byte_offset(source, i)}"
    )
