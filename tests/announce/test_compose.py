"""The /announce wizard's rules without Telegram (bot.services.announce.compose) and the reads
behind a notice's live messages (bot.services.announce.live)."""

from __future__ import annotations

from bot.services.access import Caller, resolve_caller
from bot.services.announce import callbacks, compose, live
from bot.services.announce.callbacks import Action
from bot.services.announce.notices import Content, acknowledge
from bot.services.clock import ManualClock
from bot.texts import catalog
from storage import blocks as blocks_repo
from storage import outbox as outbox_repo
from storage.db import Database
from storage.outbox.records import State
from tests.outbox.conftest import setup_block

REPS = {"VPTU": [1], "BTG": [10], "UBKT": [20, 21]}
TEXTS = catalog()
TEXT = Content("text", "Họp Khối ngày 15/3.")


async def chair(db: Database) -> Caller:
    return await resolve_caller(db, tg_user_id=1, admin_ids=frozenset(), default_language="vi")


def press(action: Action, arg: str | int | None = None) -> callbacks.PanelPress:
    found = callbacks.parse_panel(callbacks.panel("abcdef", action, arg))
    assert found is not None
    return found


async def test_a_new_draft_shows_its_audience_and_a_preview_with_an_inert_button(
    db: Database, clock: ManualClock
) -> None:
    await setup_block(db, clock, REPS)
    opening = await compose.begin(db, clock, TEXTS, await chair(db), TEXT, 1)
    assert opening.options.mode == "both" and opening.panel.has_group
    audience = opening.panel.audience
    assert audience is not None and [m.tg_user_id for m, _ in audience.members] == [10, 20, 21]
    assert opening.preview.chat_id == 1 and "Họp Khối" in (opening.preview.text or "")
    assert opening.preview.buttons[0][0].data == callbacks.PREVIEW


async def test_picking_units_checks_each_against_the_block(
    db: Database, clock: ManualClock
) -> None:
    block = await setup_block(db, clock, REPS)
    author = await chair(db)
    options = compose.start(author, TEXT)
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
    ubkt = next(u for u in tree.units if u.code == "UBKT")
    picking = await compose.choose(db, clock, TEXTS, author, options, press(Action.PICK))
    assert picking.panel.options.picking and picking.panel.units == tree.units
    assert compose.nothing_picked(picking.options)
    chosen = await compose.choose(db, clock, TEXTS, author, picking.options,
                                  press(Action.TOGGLE, ubkt.id))
    assert chosen.options.unit_ids == (ubkt.id,) and not compose.nothing_picked(chosen.options)
    unknown = await compose.choose(db, clock, TEXTS, author, chosen.options,
                                   press(Action.TOGGLE, 10**17))
    assert unknown.options == chosen.options and unknown.preview is None
    done = await compose.choose(db, clock, TEXTS, author, chosen.options, press(Action.DONE))
    assert done.panel.audience is not None
    assert [u.code for u in done.panel.audience.ack_units] == ["UBKT"]


async def test_the_preview_follows_the_request_to_confirm(
    db: Database, clock: ManualClock
) -> None:
    await setup_block(db, clock, REPS)
    author = await chair(db)
    options = compose.start(author, TEXT)
    dated = await compose.choose(db, clock, TEXTS, author, options, press(Action.DEADLINE, "1d"))
    assert dated.options.deadline == "1d" and dated.panel.deadline is not None
    assert dated.preview is not None and dated.preview.buttons
    silent = await compose.choose(db, clock, TEXTS, author, dated.options, press(Action.ACK))
    assert not silent.options.ask_ack and silent.panel.deadline is None
    assert silent.preview is not None and silent.preview.buttons == ()
    forged = await compose.choose(db, clock, TEXTS, author, options, press(Action.DEADLINE, "9y"))
    assert forged.options == options and forged.preview is None


async def test_live_reads_the_counter_and_the_copies_a_confirmation_marks(
    db: Database, clock: ManualClock
) -> None:
    await setup_block(db, clock, REPS)
    author = await chair(db)
    sent = await compose.send(db, clock, TEXTS, author, compose.start(author, TEXT),
                              progress=(1, 99))
    assert sent is not None
    assert await live.counter(db, TEXTS, 1) is None  # the group copy is not sent yet
    async with db.transaction() as conn:
        for row in await outbox_repo.batch_rows(conn, "announce:1"):
            await outbox_repo.finish(conn, row.id, State.SENT, clock.now(),
                                     message_id=100 + row.chat_id)
    shown = await live.progress(db, 1)
    assert shown is not None and (shown.chat_id, shown.message_id) == (1, 99)
    assert shown.report.sent == 4
    result = await acknowledge(db, clock, 1, 20, "Người 20")
    counter = await live.counter(db, TEXTS, 1)
    assert counter is not None and counter.chat_id == -100
    assert counter.buttons[0][0].label == "✅ Đã nhận: 1/8"
    marks = await live.marks(db, TEXTS, result, (20, 555))  # a reminder pressed, too
    assert [(m.chat_id, m.message_id) for m in marks] == [(20, 120), (20, 555), (21, 121)]
    assert all(m.buttons[0][0].data == callbacks.ack(1) for m in marks)
    assert marks[0].buttons[0][0].label.startswith("✅ Người 20")
