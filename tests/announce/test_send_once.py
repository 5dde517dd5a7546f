"""A draft's panel sends its notice once (issue 26.6): a second «Gửi» on the same panel
(a double tap, the chair's other screen), even at the same moment, sends nothing and says
who sent the notice, and when."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.services.access import resolve_caller
from bot.services.announce import compose
from bot.services.announce.notices import Content, Sent
from bot.services.clock import ManualClock
from bot.texts import catalog
from storage import audit
from storage.announcements import announcements
from storage.db import Database
from tests.outbox.conftest import setup_block

REPS = {"VPTU": [1, 2], "UBKT": [20]}
PANEL = (1, 77)  # the chair's chat and the panel's message


async def test_two_sends_from_one_panel_send_once(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await setup_block(db, clock, REPS)
    chair = await resolve_caller(db, tg_user_id=1, admin_ids=frozenset(),
                                 default_language="vi")
    options = compose.start(chair, Content("text", "Họp Khối ngày 15/3."))
    texts = catalog()
    first, second = await asyncio.gather(
        compose.send(db, clock, texts, chair, options, progress=PANEL),
        compose.send(db, clock, texts, chair, options, progress=PANEL),
    )
    sent = [r for r in (first, second) if isinstance(r, Sent)]
    overtaken = [r for r in (first, second) if isinstance(r, compose.Overtaken)]
    assert len(sent) == 1 and len(overtaken) == 1
    earlier = overtaken[0]
    assert earlier.announcement_id == sent[0].announcement.id
    assert earlier.decision.what == "sent" and earlier.decision.by_tg_id == 1
    assert earlier.decision.name == "Người 1" and earlier.decision.unit is not None
    assert earlier.decision.unit.code == "VPTU" and earlier.decision.at == clock.now()
    async with db.read() as conn:
        count = (await conn.execute(select(func.count()).select_from(announcements)))
        assert count.scalar_one() == 1
        assert len(await audit.entries(conn, action="announce.sent")) == 1
    # the press after the draft is gone (the handler lost it with the first press)
    later = await compose.sent_from_panel(db, PANEL)
    assert later is not None and later.announcement_id == earlier.announcement_id
    assert await compose.sent_from_panel(db, (1, 78)) is None
    # another panel sends its own notice
    assert isinstance(await compose.send(db, clock, texts, chair, options, progress=(1, 78)),
                      Sent)
