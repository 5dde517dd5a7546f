"""Validation of what the bot sends: texts, captions, keyboards, uploaded files.

The limits and error texts are Telegram's own, because hitting them in production (a report
longer than 4096 characters, callback_data over 64 bytes, an unescaped ``<``) is exactly the kind
of bug the end-to-end tests should surface before users do.
"""

from __future__ import annotations

import io
import mimetypes
from typing import Any

from bot.sandbox.markdown import parse_markdown
from bot.sandbox.markup import TextBuilder, parse_error, parse_html, utf16_len
from bot.sandbox.models import JSON, ApiError, Upload, bad_request

# Counted, like every length in the Bot API, in UTF-16 code units of the parsed text (an
# emoji is two): the emulator keeps its own count rather than the bot's, so a mistake in
# the bot's helper cannot hide itself.
MAX_TEXT = 4096
MAX_CAPTION = 1024
_ENTITY_TYPES = frozenset({
    "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "bold",
    "italic", "underline", "strikethrough", "spoiler", "blockquote", "expandable_blockquote",
    "code", "pre", "text_link", "text_mention", "custom_emoji", "date_time",
})
MAX_UPLOAD = 50 * 1024 * 1024
_INLINE_ACTIONS = ("callback_data", "url", "switch_inline_query", "web_app", "login_url",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                   "callback_game", "pay", "copy_text")


def render(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSON]]:
    """What Telegram stores for a text/caption: plain text and its entities."""
    if entities is not None:
        check_entities(text, entities)
        return text, entities  # explicit entities win over parse_mode, like in the Bot API
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode in ("markdownv2", "markdown"):
        return parse_markdown(text, v2=mode == "markdownv2")
    if mode:
        raise bad_request("unsupported parse_mode")
    out = TextBuilder()
    out.add(text)
    return out.finish()


def check_entities(text: str, entities: Any) -> None:
    """Explicit entities as Telegram checks them: known types, inside the text, links and
    custom emoji with their target."""
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("type") not in _ENTITY_TYPES:
            raise parse_error("unsupported entity type")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 \
                or length < 1 or offset + length > size:
            raise parse_error("entity is out of the text's bounds")
        if entity["type"] == "text_link" and not isinstance(entity.get("url"), str):
            raise parse_error("text_link entity without an URL")
        if entity["type"] == "custom_emoji" and not entity.get("custom_emoji_id"):
            raise parse_error("custom_emoji entity without an identifier")


def text_fields(text: str | None, parse_mode: str | None, entities: Any) -> JSON:
    if not text:
        raise bad_request("message text is empty")
    plain, found = render(text, parse_mode, entities)
    if not plain:
        raise bad_request("message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return {"text": plain, **({"entities": found} if found else {})}


def caption_fields(caption: str | None, parse_mode: str | None, entities: Any) -> JSON:
    if not caption:
        return {}
    plain, found = render(caption, parse_mode, entities)
    if utf16_len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    if not plain:
        return {}
    return {"caption": plain, **({"caption_entities": found} if found else {})}


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _INLINE_ACTIONS if key in button]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if "callback_data" in actions and not 1 <= len(str(data).encode()) <= 64:
        raise bad_request("BUTTON_DATA_INVALID")
    url = str(button.get("url", "https://"))
    if not url.startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")


def check_reply_markup(markup: Any) -> JSON | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse inline keyboard markup JSON object")
        for row in rows:
            for button in row:
                _check_inline_button(button)
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse keyboard markup JSON object")
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not label:
                    raise bad_request("keyboard button text is empty")
    elif not ({"remove_keyboard", "force_reply"} & markup.keys()):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def inline_markup(markup: JSON | None) -> JSON | None:
    """Only inline keyboards are part of the Message object Telegram returns."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def image_size(data: bytes) -> tuple[int, int]:
    """Pixel size of an uploaded photo; Telegram refuses what it cannot decode."""
    try:
        from PIL import Image  # optional: without Pillow every photo counts as 1280x720
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib here
        return 1280, 720
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Exception as exc:  # any decoder failure means "not an image" to Telegram
        raise bad_request("IMAGE_PROCESS_FAILED") from exc
    if width + height > 10000:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return int(width), int(height)


def check_upload(upload: Upload) -> None:
    if not upload.data:
        raise bad_request("file must be non-empty")
    if len(upload.data) > MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")


def mime_of(upload: Upload) -> str:
    if upload.mime_type and upload.mime_type != "application/octet-stream":
        return upload.mime_type
    guessed = mimetypes.guess_type(upload.filename, strict=False)[0]
    return guessed or "application/octet-stream"


def scaled(width: int, height: int, limit: int) -> tuple[int, int]:
    factor = min(1.0, limit / max(width, height, 1))
    return max(1, round(width * factor)), max(1, round(height * factor))
