"""SIGKILL halfway through a 300-recipient broadcast, restart: everyone has a copy, and the
only duplicates are messages that were in flight at the kill (at most the outbox's window),
read from the emulator's record.

The bot runs as `python -m bot run`, a real process, against the emulator in this process,
whose answers come a long round trip later (CRASH_RTT), so the window is full at the kill:
requests Telegram has carried out whose answers the bot never read.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.blockfile import load_block_file
from bot.outbox.pace import WINDOW
from bot.sandbox import BotApiEmulator, SentMessage
from bot.services.clock import SystemClock
from bot.services.setup import apply_block_spec
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.migrate import upgrade_database
from storage.outbox.tables import outbox
from tests.e2e.harness import EXAMPLE_BLOCK, GROUP_ID, REPO

pytestmark = pytest.mark.e2e

RECIPIENTS = 300
FIRST_REP = 50_000
MARKER = "Thông báo kiểm tra khả năng chịu lỗi"
WAIT = 60.0
CRASH_RTT = 0.4  # seconds: at 30 messages/s, about 12 requests in flight


async def seed(db_url: str) -> int:
    """The example block, its group, and 300 representatives spread over its units."""
    db = Database(db_url)
    try:
        await upgrade_database(db)
        clock = SystemClock()
        await apply_block_spec(db, load_block_file(EXAMPLE_BLOCK), clock)
        async with db.transaction() as conn:
            block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
            assert block is not None
            await blocks_repo.bind_group(conn, block.id, GROUP_ID)
            tree = await blocks_repo.load_tree(conn, block)
            for i in range(RECIPIENTS + 1):  # the first one is the chair's
                unit = tree.units[0] if i == 0 else tree.units[1 + i % (len(tree.units) - 1)]
                await members_repo.add_member(
                    conn, block_id=block.id, unit_id=unit.id, tg_user_id=FIRST_REP + i,
                    full_name=f"Đại diện {i}", username=None, language_code="vi",
                    now=clock.now(),
                )
        return block.id
    finally:
        await db.close()


async def start_bot(emu: BotApiEmulator, db_url: str, log: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ, "BOT_TOKEN": emu.token, "BOT_API_URL": emu.url, "DATABASE_URL": db_url,
        "BOT_ADMIN_IDS": "", "PYTHONPATH": str(REPO), "PTB_TIMEDELTA": "1",
    }
    handle = log.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=log.parent, env=env,
            stdout=handle, stderr=handle,
        )
    finally:
        handle.close()


async def chats_in_flight(db_url: str) -> set[int]:
    """The chats of the rows the killed process had claimed and not finished."""
    db = Database(db_url)
    try:
        async with db.read() as conn:
            query = select(outbox.c.chat_id).where(outbox.c.state == "sending")
            return set((await conn.execute(query)).scalars())
    finally:
        await db.close()


def copies(emu: BotApiEmulator) -> Counter[int]:
    """Copies of the notice per chat (the chair's preview is not one)."""
    return Counter(m.chat_id for m in emu.sent_messages() if is_copy(m))


def is_copy(message: SentMessage) -> bool:
    return MARKER in (message.text or "") and message.chat_id != FIRST_REP


async def test_kill_nine_mid_broadcast_then_restart(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    await seed(db_url)
    log = tmp_path / "bot.log"
    chair = FIRST_REP
    async with BotApiEmulator(rtt=CRASH_RTT) as emu:
        for i in range(RECIPIENTS + 1):
            emu.add_user(FIRST_REP + i, f"Đại diện {i}", started=True)
        emu.add_group(GROUP_ID, "Khối thi đua 6", members=[chair])
        first = await start_bot(emu, db_url, log)
        try:
            mark = emu.mark()
            emu.send_text(chair, f"/announce {MARKER}")
            panel = await emu.wait_for_message(
                chair, after=mark, timeout=WAIT,
                predicate=lambda m: any("Gửi" in str(b.get("text")) for b in m.buttons))
            emu.press_button_text(chair, panel, "Gửi")
            await emu.wait_for_messages(count=RECIPIENTS // 2, predicate=is_copy, timeout=WAIT)
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        at_kill = sum(copies(emu).values())
        assert at_kill < RECIPIENTS, "the kill came too late to test anything"
        in_flight = await chats_in_flight(db_url)
        assert 0 < len(in_flight) <= WINDOW, in_flight

        second = await start_bot(emu, db_url, log)
        try:
            everyone = {FIRST_REP + i for i in range(1, RECIPIENTS + 1)} | {GROUP_ID}
            await emu.wait_for_messages(count=len(everyone), predicate=is_copy, timeout=WAIT)
            await emu.wait_idle(quiet=1.0, timeout=WAIT)  # and nothing more comes
        finally:
            second.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(second.wait(), WAIT)
    got = copies(emu)
    assert set(got) == everyone, "nobody skipped"
    duplicates = {chat: n for chat, n in got.items() if n > 1}
    print(f"in flight at the kill: {len(in_flight)}; duplicates: {duplicates}")
    assert set(duplicates) <= in_flight, "only messages in flight at the kill come twice"
    assert sum(n - 1 for n in duplicates.values()) <= WINDOW, duplicates
    assert code == 0, log.read_text()[-3000:]
    text = log.read_text()
    assert "Task was destroyed" not in text and "Traceback" not in text, text[-3000:]
    db = Database(db_url)
    try:
        async with db.read() as conn:
            states = Counter((await conn.execute(select(outbox.c.state))).scalars())
    finally:
        await db.close()
    assert states == {"sent": RECIPIENTS + 1}, states
