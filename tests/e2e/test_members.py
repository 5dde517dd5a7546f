"""The chair hears of every new representative (its digest); a wrong one can be removed
from the CLI as well."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli import main
from tests.e2e.harness import GROUP_ID, BotHarness

pytestmark = pytest.mark.e2e


async def test_chair_told_and_representative_removed(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    h = harness
    chair = await h.register("VPTU")
    token = await h.invite_token("BTC")
    intruder = h.person("Người lạ")
    await h.say(intruder, f"/start {token}")
    await h.settle(quiet=0.2)
    # in the chair's digest (tests/digest: the «🚫 Gỡ …» button under it removes them too)
    notices = [t for t in h.texts(chair.user_id) if "Đăng ký đại diện" in t]
    assert len(notices) == 1
    assert "Người lạ – Ban Tổ chức Tỉnh ủy" in notices[0]
    assert "2/9" in notices[0]

    monkeypatch.setenv("DATABASE_URL", h.runtime.settings.database_url)
    cmd = ["--lang", "en", "members", "--block", "KTD6-2023"]
    assert await asyncio.to_thread(main, cmd) == 0
    listing = capsys.readouterr().out
    assert "BTC" in listing and str(intruder.user_id) in listing
    assert await asyncio.to_thread(main, [*cmd, "--remove", str(intruder.user_id)]) == 0
    assert "Removed Người lạ" in capsys.readouterr().out
    answer = await h.say(intruder, "/status")
    assert "chưa được đăng ký" in (answer.text or "")
    assert await asyncio.to_thread(main, [*cmd, "--remove", "42"]) == 2


async def test_removed_chair_representative_loses_chair_rights_in_groups(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    h = harness
    chair = await h.register("VPTU")
    second = await h.register("VPTU", "Phó Chánh Văn phòng")
    await h.bind_group(chair)
    monkeypatch.setenv("DATABASE_URL", h.runtime.settings.database_url)
    remove = ["members", "--block", "KTD6-2023", "--remove", str(second.user_id)]
    assert await asyncio.to_thread(main, remove) == 0
    capsys.readouterr()
    h.emu.add_group(-100_555, "Nhóm khác", members=[second.user_id])
    answer = await h.say(second, "/bind", chat_id=-100_555)
    assert "Chỉ đại diện đơn vị Khối trưởng" in (answer.text or "")
    help_text = await h.say(second, "/help", chat_id=GROUP_ID)
    assert "quyền Khối trưởng" not in (help_text.text or "")
