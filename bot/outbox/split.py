"""Split Telegram HTML into messages under a length limit, at the most natural boundary.

Telegram counts the limit (4096 for a text, 1024 for a caption) in UTF-16 code units of the
text *after* the tags are parsed, so the split is computed on the visible text; formatting
that spans a cut is closed at the end of one part and opened again at the start of the next.
Preferred cut points, in order: a blank line (paragraph), a line break, the end of a
sentence, a space; a word longer than the limit is cut where it must be.

`clip_html` is the one-message counterpart, for what cannot become several messages (an
edit, a caption): the visible text cut to the limit with an ellipsis, every tag closed.
"""

from __future__ import annotations

import html
import re

from bot.formatting import ELLIPSIS, utf16_len

# https://core.telegram.org/bots/api#sendmessage: "1-4096 characters after entities parsing";
# captions of photos and documents: 0-1024.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>")
_SENTENCE_END = re.compile(r"[.!?…;:][\"'”’)\]]*\s")
# A cut this far into the window at least, so a blank line near the start of a long
# paragraph does not leave a one-line message behind.
_MIN_SHARE = 3

_Run = tuple[str, tuple[tuple[str, str], ...]]  # visible text, enclosing (name, start tag)

__all__ = ["CAPTION_LIMIT", "TEXT_LIMIT", "clip_html", "fits", "split_text", "utf16_len",
           "visible_length"]


def _runs(markup: str) -> list[_Run]:
    runs: list[_Run] = []
    stack: list[tuple[str, str]] = []
    pos = 0
    for match in _TAG.finditer(markup):
        if match.start() > pos:
            runs.append((html.unescape(markup[pos : match.start()]), tuple(stack)))
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
        else:
            stack.append((name, match.group(0)))
        pos = match.end()
    if pos < len(markup):
        runs.append((html.unescape(markup[pos:]), tuple(stack)))
    return runs


def visible_length(markup: str) -> int:
    """What Telegram counts against the limit: the text without tags, in UTF-16 units."""
    return sum(utf16_len(text) for text, _ in _runs(markup))


def _window_end(plain: str, start: int, limit: int) -> int:
    used = 0
    for index in range(start, len(plain)):
        used += 2 if ord(plain[index]) > 0xFFFF else 1
        if used > limit:
            return index
    return len(plain)


def _cut(plain: str, start: int, end: int) -> int:
    """Where to end the part that may run from start to end (exclusive)."""
    window = plain[start:end]
    floor = len(window) // _MIN_SHARE
    for pattern in ("\n\n", "\n"):
        at = window.rfind(pattern)
        if at > floor:
            return start + at + len(pattern)
    sentences = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() > floor]
    if sentences:
        return start + sentences[-1]
    at = max(window.rfind(" "), window.rfind("\n"))
    if at > 0:
        return start + at + 1
    return end


def _render(runs: list[_Run], start: int, end: int) -> str:
    out: list[str] = []
    open_tags: tuple[tuple[str, str], ...] = ()
    offset = 0
    for text, stack in runs:
        base = offset
        offset += len(text)
        lo, hi = max(start, base), min(end, offset)
        if lo >= hi:
            continue
        common = 0
        while common < min(len(open_tags), len(stack)) and open_tags[common] == stack[common]:
            common += 1
        out.extend(f"</{name}>" for name, _ in reversed(open_tags[common:]))
        out.extend(tag for _, tag in stack[common:])
        open_tags = stack
        out.append(html.escape(text[lo - base : hi - base], quote=False))
    out.extend(f"</{name}>" for name, _ in reversed(open_tags))
    return "".join(out)


def fits(markup: str, limit: int = TEXT_LIMIT) -> bool:
    """Whether Telegram takes `markup` as one message (or caption, with its `limit`)."""
    return utf16_len(markup) <= limit or visible_length(markup) <= limit


def split_text(markup: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Telegram HTML cut into parts whose visible text is at most `limit` long each."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if utf16_len(markup) <= limit:  # the source is never shorter than what it shows
        return [markup]
    runs = _runs(markup)
    plain = "".join(text for text, _ in runs)
    if utf16_len(plain) <= limit:
        return [markup]
    parts: list[str] = []
    start = 0
    while start < len(plain):
        end = _window_end(plain, start, limit)
        cut = end if end == len(plain) else _cut(plain, start, end)
        lo, hi = start, cut
        while lo < hi and plain[lo].isspace():
            lo += 1
        while hi > lo and plain[hi - 1].isspace():
            hi -= 1
        if hi > lo:
            parts.append(_render(runs, lo, hi))
        start = cut
    return parts


def clip_html(markup: str, limit: int = TEXT_LIMIT, ellipsis: str = ELLIPSIS) -> str:
    """Telegram HTML whose visible text is at most `limit` long: unchanged when it fits,
    else cut (at a space near the end when there is one) with `ellipsis` after it."""
    if limit <= utf16_len(ellipsis):
        raise ValueError("limit must leave room for the ellipsis")
    if utf16_len(markup) <= limit:
        return markup
    runs = _runs(markup)
    plain = "".join(text for text, _ in runs)
    if utf16_len(plain) <= limit:
        return markup
    end = _window_end(plain, 0, limit - utf16_len(ellipsis))
    space = max(plain.rfind(" ", 0, end + 1), plain.rfind("\n", 0, end + 1))
    if space > end - end // 5:  # a word is not cut in two when a break is near
        end = space
    while end > 0 and plain[end - 1].isspace():
        end -= 1
    return _render(runs, 0, end) + html.escape(ellipsis, quote=False)
