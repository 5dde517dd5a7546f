"""Decoding of Bot API request parameters.

python-telegram-bot sends every parameter as a form field (url-encoded, or multipart when a file
is uploaded): strings as they are, everything else JSON-encoded (``123``, ``true``,
``{"inline_keyboard": ...}``).  Telegram itself also accepts a JSON body and query strings, so
those are decoded too.  Field types are known by name, because a text of ``"123"`` must stay a
string while a ``chat_id`` of ``"123"`` is a number.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.sandbox.models import JSON, Upload, bad_request

_JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "reply_parameters",
        "link_preview_options", "allowed_updates", "commands", "scope", "media", "permissions",
        "menu_button", "reaction", "results", "message_ids",
    }
)
_INT_FIELDS = frozenset(
    {
        "message_id", "user_id", "offset", "limit", "reply_to_message_id",
        "max_connections", "cache_time", "message_thread_id", "from_chat_id", "until_date",
    }
)
_BOOL_PREFIXES = ("disable_", "can_", "is_", "show_", "has_", "protect_", "allow_", "drop_")


def _convert(name: str, raw: str) -> Any:
    if name == "timeout":  # PTB sends fractional seconds of a timedelta as a float
        try:
            return float(raw)
        except ValueError:
            raise bad_request('field "timeout" must be a number') from None
    if name in _JSON_FIELDS:
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc
    if name in _INT_FIELDS or name == "chat_id":
        try:
            return int(raw)
        except ValueError:
            if name == "chat_id":  # "@publicgroup" style identifiers stay strings
                return raw
            raise bad_request(f'field "{name}" must be a number') from None
    if name.startswith(_BOOL_PREFIXES) and raw in ("true", "false", "True", "False", "1", "0"):
        return raw in ("true", "True", "1")
    return raw


def decode_form(arguments: Mapping[str, list[bytes]]) -> JSON:
    """Form/query fields (tornado's ``request.arguments``) to typed values."""
    params: JSON = {}
    for name, values in arguments.items():
        if values:
            params[name] = _convert(name, values[-1].decode("utf-8", "replace"))
    return params


def decode_json_body(body: bytes) -> JSON:
    try:
        value = json.loads(body or b"{}")
    except ValueError as exc:
        raise bad_request("can't parse JSON request body") from exc
    if not isinstance(value, dict):
        raise bad_request("JSON request body must be an object")
    # Nested objects may still arrive JSON-encoded as strings; accept both like Telegram.
    return {
        k: _convert(k, v) if isinstance(v, str) and k in _JSON_FIELDS else v
        for k, v in value.items()
    }


class Params:
    """Typed access to one request's parameters with Telegram-like error texts."""

    def __init__(self, values: JSON, uploads: Mapping[str, Upload] | None = None,
                 gone: Callable[[], bool] | None = None) -> None:
        self.values = values
        self.uploads: Mapping[str, Upload] = uploads or {}
        # Lets a long poll notice that its client hung up (set by the HTTP handler).
        self.gone: Callable[[], bool] = gone or (lambda: False)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def str_(self, name: str, *, required: bool = False, empty_error: str | None = None) -> Any:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(empty_error or f"{name} is empty")
            return None
        return str(value)

    def int_(self, name: str, *, required: bool = False) -> Any:
        value = self.values.get(name)
        if value is None:
            if required:
                raise bad_request(f"{name} is empty" if name != "message_id" else
                                  "message identifier is not specified")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                raise bad_request(f'field "{name}" must be a number') from None
        return value

    def bool_(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def json_(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            return _convert(name, value) if name in _JSON_FIELDS else json.loads(value)
        return value

    def file_ref(self, name: str) -> Upload | str | None:
        """An uploaded part for ``name`` (also via ``attach://``) or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            part = self.uploads.get(value.removeprefix("attach://"))
            if part is None:
                raise bad_request(f"{name} file not found in the request")
            return part
        return None if value in (None, "") else str(value)
