"""Rights that must hold against crafted input: group takeovers, forged presses in groups,
people in two blocks, numbers that would blow up scoring, webhooks without a secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.blockfile import load_block_file
from bot.config import SettingsError, load_settings
from bot.formatting import NumberInputError, parse_number
from bot.services.registration.invites import issue_invites
from bot.services.setup import apply_block_spec
from storage import audit
from storage.tables import blocks
from tests.e2e.harness import EXAMPLE_BLOCK, GROUP_ID, BotHarness

pytestmark = pytest.mark.e2e


async def second_block(h: BotHarness, tmp_path: Path) -> None:
    """Another block-year in the same database (the next year's KTD6)."""
    text = EXAMPLE_BLOCK.read_text(encoding="utf-8").replace('"KTD6-2023"', '"KTD6-2024"')
    path = tmp_path / "next.toml"
    path.write_text(text, encoding="utf-8")
    await apply_block_spec(h.db, load_block_file(path), h.clock)


async def test_chair_of_another_block_cannot_take_the_group(
    harness: BotHarness, tmp_path: Path
) -> None:
    h = harness
    chair = await h.register("VPTU")
    await h.bind_group(chair)
    await second_block(h, tmp_path)
    other_chair = h.person("Khối trưởng khác")
    [issued] = await issue_invites(h.db, h.clock, block_code="KTD6-2024", unit_code="VPTU")
    await h.say(other_chair, f"/start {issued.token}")
    answer = await h.say(other_chair, "/bind", chat_id=GROUP_ID)
    assert "đang là nhóm của" in (answer.text or "")
    async with h.db.read() as conn:
        bound = dict((await conn.execute(select(blocks.c.code, blocks.c.group_chat_id))).all())
        refused = await audit.entries(conn, action="group.bind-refused")
    assert bound == {"KTD6-2023": GROUP_ID, "KTD6-2024": None}
    assert [e.actor_tg_id for e in refused] == [other_chair.user_id]


async def test_forged_private_button_in_the_group_is_refused(harness: BotHarness) -> None:
    h = harness
    chair = await h.register("VPTU")
    member = await h.register("BBT")
    bound = await h.bind_group(chair)
    before = bound.text
    await h.press(member, bound, "rp:o:1", chat_id=GROUP_ID)
    answer = h.emu.callback_answers()[-1]
    assert "chỉ dùng trong tin nhắn riêng" in (answer.text or "")
    assert h.emu.sent_messages(GROUP_ID)[-1].text == before  # nothing was edited
    async with h.db.read() as conn:
        refused = await audit.entries(conn, action="button.refused-in-group")
    assert [e.subject for e in refused] == ["rp:o:1"]


async def test_person_in_two_blocks_switches_block(harness: BotHarness, tmp_path: Path) -> None:
    h = harness
    rep = await h.register("TCT")
    await second_block(h, tmp_path)
    [issued] = await issue_invites(h.db, h.clock, block_code="KTD6-2024", unit_code="BNC")
    await h.say(rep, f"/start {issued.token}")
    listing = await h.say(rep, "/block")
    assert "KTD6-2023" in (listing.text or "") and "KTD6-2024" in (listing.text or "")
    switched = await h.say(rep, "/block KTD6-2023")
    assert "KTD6-2023" in (switched.text or "")
    status = await h.say(rep, "/status")
    assert "Trường Chính trị tỉnh (TCT)" in (status.text or "")
    await h.say(rep, "/block ktd6-2024")
    status = await h.say(rep, "/status")
    assert "Ban Nội chính Tỉnh ủy (BNC)" in (status.text or "")


@pytest.mark.parametrize("text", ["1e-999999", "1E5", "0,0000001", "9" * 16])
def test_numbers_that_would_blow_up_scoring_are_refused(text: str) -> None:
    with pytest.raises(NumberInputError):
        parse_number(text)


def test_webhook_mode_requires_a_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.gov.vn/hook")
    with pytest.raises(SettingsError, match=r"^WEBHOOK_SECRET: required"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_SECRET", "has space")
    with pytest.raises(SettingsError, match=r"^WEBHOOK_SECRET: "):
        load_settings()
