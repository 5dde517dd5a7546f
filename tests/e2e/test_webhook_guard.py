"""The webhook (issue 26.1, 26.9): an update the library cannot read is answered 200 and
logged once, so Telegram does not deliver it again and again; a redelivered update_id is
not handled twice; malformed JSON is answered 200 and logged; a body over the limit is
refused unread; a private message without `from` raises nothing. And `thidua-bot run`'s
webhook mode (bot.serve) takes updates until it is told to stop."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.config import load_settings
from bot.factory import build_application
from bot.sandbox import BotApiEmulator
from bot.serve import serve_webhook
from bot.services.clock import ManualClock
from bot.services.handled_updates import HANDLED_UPDATES_KEPT, first_delivery
from bot.webhook import MAX_WEBHOOK_BODY, SECRET_HEADER
from storage.db import Database
from tests.e2e.harness import DEFAULT_NOW, WEBHOOK_SECRET, BotHarness, free_port
from tests.e2e.test_unparseable import OLD_POLL, QUESTION

pytestmark = pytest.mark.e2e

HEADERS = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}


@pytest.fixture
async def hooked(tmp_path: Path) -> AsyncIterator[BotHarness]:
    h = BotHarness(tmp_path, webhook=True)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


def deliveries(h: BotHarness, update_id: int) -> list[bool]:
    hook = h.emu.world.updates.webhook
    assert hook is not None
    return [ok for uid, ok in hook.attempts if uid == update_id]


async def post(h: BotHarness, body: bytes, headers: dict[str, str] = HEADERS) -> int:
    assert h.webhook_url is not None
    async with httpx.AsyncClient() as client:
        answer = await client.post(h.webhook_url, content=body, headers=headers)
    return answer.status_code


async def test_an_unreadable_update_is_answered_200_and_logged_once(
        hooked: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    rep = await hooked.register("BBT")
    poll = hooked.emu.inject_update(OLD_POLL)
    assert poll is not None
    reply = await hooked.say(rep, "/status")  # the update after it is handled
    assert "Báo Bình Thuận" in (reply.text or "")
    assert deliveries(hooked, poll["update_id"]) == [True]  # taken at once, never retried
    assert hooked.runtime.unreadable_updates.count == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.unreadable"]
    assert len(lines) == 1 and f"update {poll['update_id']} skipped (webhook)" in lines[0]
    assert QUESTION not in caplog.text
    assert list(hooked.runtime.failed_updates) == []


async def test_a_redelivered_update_is_handled_once(
        hooked: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.webhook")
    emu = hooked.emu
    rep = await hooked.register("BBT")
    emu.send_text(rep.user_id, "/status")
    update = emu.pending_updates()[-1]
    await emu.wait_for_message(rep.user_id, predicate=lambda m: "Báo Bình Thuận" in (m.text or ""))
    await emu.wait_idle()
    answered = len(emu.sent_messages(rep.user_id))

    # Telegram delivers it again (our 200 did not reach it in time) ...
    emu.inject_update({"message": update["message"]}, update_id=update["update_id"])
    await emu.wait_idle()
    assert deliveries(hooked, update["update_id"]) == [True, True]
    # ... or someone who knows the secret replays the request.
    assert await post(hooked, json.dumps(update).encode()) == 200
    await emu.wait_idle()
    assert len(emu.sent_messages(rep.user_id)) == answered  # not answered again
    assert f"update {update['update_id']} delivered again" in caplog.text


async def test_malformed_and_oversized_bodies(hooked: BotHarness,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    rep = await hooked.register("BBT")
    assert await post(hooked, b"{not json") == 200
    assert await post(hooked, b"\xff\xfe garbage") == 200
    assert await post(hooked, b"[1, 2, 3]") == 200  # JSON, but not an update
    assert "a body of 9 bytes that is not JSON" in caplog.text
    assert hooked.runtime.unreadable_updates.count == 3
    # The wrong content type or no secret: refused.
    assert await post(hooked, b"{}", {SECRET_HEADER: WEBHOOK_SECRET}) == 403
    assert await post(hooked, b"{}", {"Content-Type": "application/json"}) == 403
    # A body over the limit is refused before it is read (tornado answers 400 and hangs up,
    # possibly while the client is still sending).
    huge = b'{"update_id": 1, "x": "' + b"y" * (8 * 1024 * 1024) + b'"}'
    try:
        status = await post(hooked, huge)
    except httpx.TransportError:
        status = 0
    assert status in (0, 400)
    # Just under the limit is read (and, not being a known update, ignored).
    near = b'{"update_id": 424242, "x": "' + b"y" * (MAX_WEBHOOK_BODY - 64) + b'"}'
    assert len(near) <= MAX_WEBHOOK_BODY
    assert await post(hooked, near) == 200
    # The bot goes on.
    assert "Báo Bình Thuận" in ((await hooked.say(rep, "/status")).text or "")
    assert list(hooked.runtime.failed_updates) == []


async def test_a_private_message_without_from_by_webhook(hooked: BotHarness) -> None:
    emu = hooked.emu
    rep = await hooked.register("BBT")
    chat = emu.chats()[rep.user_id]
    before = len(emu.sent_messages(rep.user_id))
    update = emu.inject_update({"message": {"message_id": 9001, "date": 1675216800,
                                            "chat": chat, "text": "/status"}})
    assert update is not None
    await emu.wait_idle()
    assert deliveries(hooked, update["update_id"]) == [True]
    assert len(emu.sent_messages(rep.user_id)) == before
    assert list(hooked.runtime.failed_updates) == []


async def test_serve_webhook_takes_updates_until_stopped(tmp_path: Path) -> None:
    async with BotApiEmulator() as emu:
        port = free_port()
        settings = load_settings(
            BOT_TOKEN=emu.token, BOT_API_URL=emu.url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            EVIDENCE_DIR=str(tmp_path / "evidence"),
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook", WEBHOOK_SECRET="s3cret-hook",
            WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=port,
        )
        application = build_application(settings)
        stop = asyncio.Event()
        running = asyncio.create_task(serve_webhook(application, settings, stop))
        try:
            for _ in range(200):
                if emu.webhook_info()["url"]:
                    break
                await asyncio.sleep(0.05)
            assert emu.webhook_info()["url"] == settings.webhook_url
            emu.add_user(5, "An")
            emu.send_text(5, "/help")
            assert (await emu.wait_for_message(5)).text
        finally:
            stop.set()
            await asyncio.wait_for(running, 20)
    assert not application.running


# --- the rule -----------------------------------------------------------------------------

async def test_each_update_id_is_taken_in_once(db: Database) -> None:
    clock = ManualClock(DEFAULT_NOW)
    assert await first_delivery(db, clock, 10)
    assert not await first_delivery(db, clock, 10)
    assert await first_delivery(db, clock, 11)
    # Long after, the old ids are forgotten (Telegram may start ids afresh after a week).
    clock.advance(HANDLED_UPDATES_KEPT + timedelta(seconds=1))
    assert await first_delivery(db, clock, 12)
    assert await first_delivery(db, clock, 10)
