"""End to end: invites, registration, group binding, /help by role, /status, menus."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from bot.factory import CHECKPOINT_EVERY, CHECKPOINT_JOB
from storage import audit
from storage.tables import blocks
from tests.e2e.harness import ADMIN_ID, GROUP_ID, BotHarness

pytestmark = pytest.mark.e2e


async def test_representative_registers_by_invite(harness: BotHarness) -> None:
    rep = await harness.register("UBKT", "Trần Thị Bình")
    welcome = harness.emu.last_sent(rep.user_id)
    assert welcome.text is not None
    assert "Đăng ký thành công" in welcome.text
    assert "Ủy ban Kiểm tra Tỉnh ủy" in welcome.text
    assert "Khối thi đua 6" in welcome.text
    status = await harness.say(rep, "/status")
    assert status.text is not None
    assert "Ủy ban Kiểm tra Tỉnh ủy (UBKT)" in status.text
    assert "Đợt 1" in status.text and "17:00 20/06/2023" in status.text


async def test_used_up_expired_and_unknown_tokens_are_refused(harness: BotHarness) -> None:
    token = await harness.invite_token("BDV", uses=1)
    first = harness.person("Lê Văn Một")
    second = harness.person("Phạm Văn Hai")
    assert "Đăng ký thành công" in ((await harness.say(first, f"/start {token}")).text or "")
    refused = await harness.say(second, f"/start {token}")
    assert "đã được dùng hết" in (refused.text or "")
    unknown = await harness.say(second, "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "không hợp lệ" in (unknown.text or "")
    # Nothing changed for the refused person: they are still a guest.
    guest = await harness.say(second, "/status")
    assert "chưa được đăng ký" in (guest.text or "")


async def test_second_invite_for_another_unit_is_refused(harness: BotHarness) -> None:
    rep = await harness.register("BDV")
    other = await harness.invite_token("TCT")
    answer = await harness.say(rep, f"/start {other}")
    assert "Ban Dân vận Tỉnh ủy" in (answer.text or "")
    assert "Không thể đăng ký" in (answer.text or "")


async def test_chair_binds_group_outsider_refused_and_audited(harness: BotHarness) -> None:
    outsider = harness.person("Người lạ")
    member = await harness.register("TCT")
    chair = await harness.register("VPTU", "Chánh Văn phòng")
    harness.emu.add_group(GROUP_ID, "Khối thi đua 6",
                          members=[outsider.user_id, member.user_id, chair.user_id])
    # In an unbound group the bot ignores ordinary commands...
    mark = harness.emu.mark()
    harness.emu.send_text(member.user_id, "/status", chat_id=GROUP_ID)
    await harness.emu.wait_idle(quiet=0.4)
    assert [c.method for c in harness.emu.calls[mark.calls:] if c.method != "getUpdates"] == []
    refused = await harness.say(outsider, "/bind", chat_id=GROUP_ID)
    assert "Chỉ đại diện đơn vị Khối trưởng" in (refused.text or "")
    refused = await harness.say(member, "/bind", chat_id=GROUP_ID)
    assert "Chỉ đại diện đơn vị Khối trưởng" in (refused.text or "")
    done = await harness.say(chair, "/bind", chat_id=GROUP_ID)
    assert "đã được gắn với Khối thi đua 6" in (done.text or "")
    async with harness.db.read() as conn:
        bound = (await conn.execute(select(blocks.c.group_chat_id))).scalar_one()
        refusals = await audit.entries(conn, action="group.bind-refused")
    assert bound == GROUP_ID
    assert {e.actor_tg_id for e in refusals} == {outsider.user_id, member.user_id}
    summary = await harness.say(member, "/status", chat_id=GROUP_ID)
    assert "Khối thi đua 6" in (summary.text or "")


async def test_group_binding_follows_supergroup_migration(harness: BotHarness) -> None:
    chair = await harness.register("VPTU")
    await harness.bind_group(chair)
    harness.emu.migrate_group_to_supergroup(GROUP_ID, -100_888_000)
    await harness.emu.wait_idle(quiet=0.4)
    async with harness.db.read() as conn:
        bound = (await conn.execute(select(blocks.c.group_chat_id))).scalar_one()
    assert bound == -100_888_000


async def test_help_differs_by_role(harness: BotHarness) -> None:
    guest = harness.person("Khách")
    member = await harness.register("BTC")
    chair = await harness.register("VPTU")
    guest_help = (await harness.say(guest, "/help")).text or ""
    member_help = (await harness.say(member, "/help")).text or ""
    chair_help = (await harness.say(chair, "/help")).text or ""
    assert "/status" in guest_help and "chưa được đăng ký" in guest_help
    assert "Ban Tổ chức Tỉnh ủy" in member_help
    assert "quyền Khối trưởng" in chair_help
    assert len(chair_help.splitlines()) >= len(member_help.splitlines())
    admin = harness.person("Quản trị", user_id=ADMIN_ID)
    assert "quyền Khối trưởng" in ((await harness.say(admin, "/help")).text or "")


async def test_language_switch_and_english_menus(harness: BotHarness) -> None:
    rep = await harness.register("BNC")
    assert "Switched to English" in ((await harness.say(rep, "/lang en")).text or "")
    assert "Your unit" in ((await harness.say(rep, "/status")).text or "")
    vi_menu = harness.emu.my_commands({"type": "all_private_chats"}, "")
    en_menu = harness.emu.my_commands({"type": "all_private_chats"}, "en")
    assert {c["command"] for c in vi_menu} == {c["command"] for c in en_menu}
    assert any(c["description"] == "Danh sách các lệnh" for c in vi_menu)
    assert any(c["description"] == "List of commands" for c in en_menu)


async def test_webhook_mode_with_secret(tmp_path: Path) -> None:
    h = BotHarness(tmp_path, webhook=True)
    await h.start()
    try:
        rep = await h.register("BBT")
        assert "Báo Bình Thuận" in (h.emu.last_sent(rep.user_id).text or "")
        assert h.webhook_url is not None
        async with httpx.AsyncClient() as client:
            forged = await client.post(h.webhook_url, json={"update_id": 1})
        assert forged.status_code == 403
    finally:
        await h.stop()


async def test_chair_gets_chair_menu_in_private(harness: BotHarness) -> None:
    chair = await harness.register("VPTU")
    member = await harness.register("BTC")
    menu = harness.emu.my_commands({"type": "chat", "chat_id": chair.user_id}, "")
    assert "bind" not in {c["command"] for c in menu}  # /bind is for the group only
    assert {c["command"] for c in menu} >= {"help", "status"}
    assert harness.emu.my_commands({"type": "chat", "chat_id": member.user_id}, "") == []


async def test_the_running_bot_checkpoints_its_database_in_a_job(harness: BotHarness) -> None:
    """Commits do not checkpoint the WAL (storage.db); a job every second does."""
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(CHECKPOINT_JOB)
    assert job.job.trigger.interval.total_seconds() == CHECKPOINT_EVERY
    async with harness.db.read() as conn:
        assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one() == 0
    assert await harness.db.checkpoint() is not None
