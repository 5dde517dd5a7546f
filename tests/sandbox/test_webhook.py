"""Webhook mode: updates are POSTed to the bot's URL with the secret header, and retried."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Bot
from telegram.error import Conflict

from bot.sandbox import BotApiEmulator


class Receiver:
    """A tiny webhook endpoint that can be told to fail its first N deliveries."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[str | None, dict[str, object]]] = []
        self.arrived = asyncio.Event()
        self.url = ""
        receiver = self

        class Handler(tornado.web.RequestHandler):
            def post(self) -> None:
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.set_status(500)
                    return
                secret = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token")
                receiver.received.append((secret, json.loads(self.request.body)))
                receiver.arrived.set()

        app = tornado.web.Application([(r"/hook", Handler)], log_function=lambda h: None)
        self.server = tornado.httpserver.HTTPServer(app)

    def start(self) -> None:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.server.add_sockets(sockets)
        self.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/hook"

    async def close(self) -> None:
        self.server.stop()
        await self.server.close_all_connections()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver(failures=1)
    hook.start()
    yield hook
    await hook.close()


async def test_webhook_delivery(bot: Bot, emu: BotApiEmulator, receiver: Receiver) -> None:
    emu.add_user(5, "An")
    assert await bot.set_webhook(receiver.url, secret_token="bi-mat_123",
                                 allowed_updates=["message", "callback_query"])
    emu.send_text(5, "/start")
    await asyncio.wait_for(receiver.arrived.wait(), 5)

    secret, update = receiver.received[0]
    assert secret == "bi-mat_123"
    assert update["update_id"] == 1 and update["message"]["text"] == "/start"  # type: ignore[index]
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    assert info.last_error_message is not None and "500" in info.last_error_message

    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()

    emu.block_bot(5)  # my_chat_member is not in allowed_updates: never created
    assert emu.pending_updates() == []

    assert await bot.delete_webhook()
    emu.send_text(5, "lại đây")  # writing again unblocks; now collected by getUpdates
    updates = await bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [2]  # filtered updates get no update_id
    assert updates[0].message is not None and updates[0].message.text == "lại đây"


async def test_stop_ends_pending_long_poll(bot: Bot, emu: BotApiEmulator) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
    await asyncio.sleep(0.1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await emu.stop()
    assert await asyncio.wait_for(poll, 2) == ()
    assert loop.time() - started < 1.5


async def test_second_long_poll_terminates_the_first(bot: Bot, emu: BotApiEmulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.1)
    # A second bot instance (PTB allows only one getUpdates at a time per Bot, hence httpx).
    async with httpx.AsyncClient() as other:
        answer = await other.post(f"{emu.url}/bot{emu.token}/getUpdates", data={"timeout": "0"})
        assert answer.json() == {"ok": True, "result": []}
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)


async def test_raw_updates_are_delivered_as_given(emu: BotApiEmulator,
                                                  receiver: Receiver) -> None:
    """inject_update: any JSON object, unchecked, under the next id or a chosen one again
    (a redelivery); the emulator's Bot API keeps counting after it."""
    receiver.failures = 0
    async with httpx.AsyncClient() as client:
        await client.post(f"{emu.url}/bot{emu.token}/setWebhook", data={"url": receiver.url})
    odd = {"poll": {"id": "1", "question": "?"}}  # fields missing: not checked
    first = emu.inject_update(odd)
    assert first == {"update_id": 1, **odd}
    again = emu.inject_update(odd, update_id=1)
    assert again == first
    emu.add_user(5, "An")
    emu.send_text(5, "xin chào")
    for _ in range(100):
        if len(receiver.received) == 3:
            break
        await asyncio.sleep(0.02)
    ids = [update["update_id"] for _, update in receiver.received]
    assert ids == [1, 1, 2]
    assert receiver.received[0][1] == first
