"""bot.transport: requests without files go out as one JSON body, uploads stay multipart,
and the Bot API emulator (like Telegram) reads both the same way."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import BotApiEmulator
from bot.transport import JsonBodyRequest


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """Every request the transport puts on the wire."""
    seen: list[httpx.Request] = []
    original = httpx.AsyncClient.send

    async def send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> Any:
        seen.append(request)
        return await original(self, request, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", send)
    return seen


async def test_a_message_with_a_keyboard_is_one_json_document(sent: list[httpx.Request]) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Mở", callback_data="rp:c:1:2")]])
    async with BotApiEmulator() as emu:
        emu.add_user(501, "Lan", started=True)
        async with Bot(emu.token, base_url=f"{emu.url}/bot", request=JsonBodyRequest()) as bot:
            message = await bot.send_message(501, "<b>Báo cáo</b> đợt 1", parse_mode="HTML",
                                             reply_markup=keyboard)
        call = next(c for c in emu.calls if c.method == "sendMessage")
    request = next(r for r in sent if r.url.path.endswith("/sendMessage"))
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.content)
    # Objects are nested as objects (not JSON strings inside the form), numbers stay numbers.
    assert body["chat_id"] == 501
    assert body["reply_markup"] == {"inline_keyboard": [[{"text": "Mở",
                                                          "callback_data": "rp:c:1:2"}]]}
    assert "Báo cáo" in request.content.decode("utf-8")  # UTF-8, not \\u escapes
    assert call.ok and message.text == "Báo cáo đợt 1"
    assert message.reply_markup == keyboard


async def test_uploads_stay_multipart(sent: list[httpx.Request]) -> None:
    async with BotApiEmulator() as emu:
        emu.add_user(501, "Lan", started=True)
        async with Bot(emu.token, base_url=f"{emu.url}/bot", request=JsonBodyRequest()) as bot:
            await bot.send_document(501, b"%PDF-1.4 minh chung", filename="mc.pdf",
                                    caption="Minh chứng")
        call = next(c for c in emu.calls if c.method == "sendDocument")
    request = next(r for r in sent if r.url.path.endswith("/sendDocument"))
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert call.ok and call.params["caption"] == "Minh chứng"
    assert call.files["document"].data == b"%PDF-1.4 minh chung"
