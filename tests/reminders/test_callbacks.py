"""A signing reminder carries the covenant's «✍️ Ký giao ước» (built with the covenant's
builder, it reads back with the covenant's parser: the press goes through the ordinary
signing flow) and the reminders' own «⏰ Nhắc lại sau»; both fit Telegram's 64 bytes even
for the largest ids."""

from __future__ import annotations

import dataclasses

from bot.buttons import CALLBACK_DATA_MAX_BYTES, from_json
from bot.services.covenant.callbacks import SignPress, parse_sign
from bot.services.reminders.callbacks import SnoozePress, parse_snooze
from bot.services.reminders.rounds import Round
from bot.services.reminders.texts import enqueue_round
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage.covenant.records import CovenantVersion
from storage.reminders.records import ReminderRow
from tests.reports.conftest import BBT2_TG, BBT_TG, World

BIGGEST_ID = 10**18 - 1  # ids in callback data are read as [0-9]{1,18}


async def test_a_sign_reminder_carries_the_covenant_button(world: World) -> None:
    now = world.clock.now()
    unit = dataclasses.replace(world.unit("BBT"), id=BIGGEST_ID)
    version = CovenantVersion(
        id=BIGGEST_ID, block_id=world.block.id, number=1, language="vi", title="Giao ước",
        content={}, text="…", text_hash="0" * 64, published_at=now, published_by_tg_id=None,
        reason="",
    )
    row = ReminderRow(id=1, block_id=world.block.id, kind="sign", subject="covenant",
                      offset="1d", deadline=now, due_at=now, state="planned", done_at=None,
                      recipients=None)
    async with world.db.transaction() as conn:
        seated = [m for m in await members_repo.block_members(conn, world.block.id)
                  if m.unit_id == world.unit("BBT").id]
        rnd = Round(row=row, tree=world.tree, now=now, owing=[unit],
                    members={unit.id: seated}, covenant_version=version)
        assert await enqueue_round(conn, world.texts, rnd) == 1
        queued = await outbox_repo.batch_rows(conn, "remind:1")
    assert sorted(r.chat_id for r in queued) == [BBT_TG, BBT2_TG]
    pressed = [b.data for r in queued for line in from_json(r.reply_markup) for b in line]
    assert len(pressed) == 4  # «✍️ Ký giao ước» and «⏰ Nhắc lại sau» under each copy
    for data in pressed:
        assert data is not None and len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
    signs = [parse_sign(d) for d in pressed if parse_sign(d) is not None]
    assert signs == [SignPress(BIGGEST_ID, BIGGEST_ID)] * 2
    snoozes = [parse_snooze(d) for d in pressed if parse_snooze(d) is not None]
    assert snoozes == [SnoozePress("sign", BIGGEST_ID)] * 2
