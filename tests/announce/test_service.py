"""The announcement services without Telegram: audience, acks, reminders, deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.runtime import Runtime
from bot.services.access import Caller, resolve_caller
from bot.services.announce.notices import (
    AckOutcome,
    Content,
    Draft,
    Sent,
    acknowledge,
    audience_of,
    send_announcement,
)
from bot.services.announce.nudges import NudgeOutcome, handle_due_deadlines, nudge
from bot.services.announce.stats import group_counter, report
from bot.services.clock import ManualClock
from bot.texts import catalog
from storage import announcements as ann_repo
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage import prefs as prefs_repo
from storage.announcements import Ack
from storage.db import Database
from storage.outbox import State
from storage.records import Block
from tests.outbox.conftest import setup_block

REPS = {"VPTU": [1, 2], "BTG": [10], "UBKT": [20, 21], "BDV": [30]}
TEXTS = catalog()
TEXT = Content("text", "Kính gửi các đơn vị: <b>họp Khối</b> ngày 15/3.")


async def chair(runtime: Runtime) -> Caller:
    return await resolve_caller(runtime.db, tg_user_id=1, admin_ids=frozenset(),
                                default_language="vi")


async def announce(
    runtime: Runtime, db: Database, clock: ManualClock, draft: Draft | None = None
) -> Sent | None:
    """The example block with REPS set up, then `draft` (TEXT to everyone unless given)
    sent by the chair."""
    await setup_block(db, clock, REPS)
    return await send_announcement(db, clock, TEXTS, await chair(runtime), draft or Draft(TEXT))


async def unit_ids(db: Database, block: Block, *codes: str) -> tuple[int, ...]:
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
    return tuple(u.id for u in tree.units if u.code in codes)


async def test_audience_leaves_out_the_author_and_lists_units_without_reps(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    block = await setup_block(db, clock, REPS)
    author = await chair(runtime)
    async with db.read() as conn:
        everyone = await audience_of(conn, block, Draft(TEXT), author)
        picked = await audience_of(conn, block, Draft(
            TEXT, to_group=False, unit_ids=await unit_ids(db, block, "UBKT", "TCT")), author)
        group = await audience_of(conn, block, Draft(TEXT, to_units=False), author)
    assert everyone.group_chat_id == -100
    assert [m.tg_user_id for m, _ in everyone.members] == [2, 10, 20, 21, 30]
    assert "VPTU" not in [u.code for u in everyone.ack_units] and len(everyone.ack_units) == 8
    assert [u.code for u in everyone.units_without_reps] == ["DUK", "BTC", "TCT", "BNC", "BBT"]
    assert picked.group_chat_id is None and [u.code for u in picked.ack_units] == ["UBKT", "TCT"]
    assert [m.tg_user_id for m, _ in picked.members] == [20, 21]
    assert group.members == () and len(group.ack_units) == 8


async def test_send_queues_one_copy_per_recipient_with_the_right_buttons(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    sent = await announce(runtime, db, clock)
    assert sent is not None and sent.messages == 6
    async with db.read() as conn:
        rows = await outbox_repo.batch_rows(conn, "announce:1")
    by_chat = {r.chat_id: r for r in rows}
    assert list(by_chat) == [-100, 2, 10, 20, 21, 30]
    group_button = by_chat[-100].reply_markup["inline_keyboard"][0][0]  # type: ignore[index]
    assert group_button == {"text": "✅ Đã nhận: 0/8", "callback_data": "an:ack:1"}
    assert by_chat[2].reply_markup is None  # the chair's own unit does not confirm
    assert by_chat[20].reply_markup["inline_keyboard"][0][0]["text"] == "✅ Đã nhận"  # type: ignore[index]
    assert "<b>họp Khối</b>" in by_chat[20].parts[0]["text"]
    async with db.read() as conn:
        assert [e.action for e in await audit.entries(conn)][-1] == "announce.sent"


async def test_a_units_copies_are_read_without_the_others(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock)
    async with db.read() as conn:
        everyone = await ann_repo.recipients_of(conn, 1)
        ubkt = next(r.unit_id for r in everyone if r.tg_user_id == 20)
        mine = await ann_repo.unit_recipients(conn, 1, ubkt)
        assert await ann_repo.unit_recipients(conn, 2, ubkt) == []  # no such notice
    assert [r.tg_user_id for r in mine] == [20, 21]
    assert mine == [r for r in everyone if r.unit_id == ubkt]


async def test_nobody_to_reach_sends_nothing(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    block = await setup_block(db, clock, {"VPTU": [1]})
    draft = Draft(TEXT, to_group=False, unit_ids=await unit_ids(db, block, "TCT"))
    assert await send_announcement(db, clock, TEXTS, await chair(runtime), draft) is None


async def test_first_press_per_unit_counts_and_strangers_are_refused(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    block = await setup_block(db, clock, REPS)
    draft = Draft(TEXT, to_group=False, unit_ids=await unit_ids(db, block, "UBKT", "BDV"))
    await send_announcement(db, clock, TEXTS, await chair(runtime), draft)
    first = await acknowledge(db, clock, 1, 20, "Người 20")
    clock.advance(timedelta(minutes=5))
    second = await acknowledge(db, clock, 1, 21, "Người 21")
    again = await acknowledge(db, clock, 1, 20, "Người 20")
    other_unit = await acknowledge(db, clock, 1, 10, "Người 10")  # BTG was not addressed
    stranger = await acknowledge(db, clock, 1, 999, "Người lạ")
    unknown = await acknowledge(db, clock, 42, 20, "Người 20")
    assert first.outcome is AckOutcome.RECORDED
    stored = await report(db, 1)
    assert stored is not None
    assert (stored.standing.acked, len(stored.standing.ack_units)) == (1, 2)
    assert second.outcome is AckOutcome.ALREADY and second.ack is not None
    assert second.ack.tg_user_id == 20 and second.ack.at == first.ack.at  # type: ignore[union-attr]
    assert again.outcome is AckOutcome.ALREADY
    assert other_unit.outcome is AckOutcome.REFUSED and stranger.outcome is AckOutcome.REFUSED
    assert unknown.outcome is AckOutcome.UNKNOWN
    async with db.read() as conn:
        actions = [e.action for e in await audit.entries(conn, block_id=block.id)]
    assert actions.count("announce.ack") == 1 and actions.count("announce.ack-refused") == 2


async def test_the_pressers_caller_spares_reads_but_never_lends_rights(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    """The caller identify read for this update stands in for the block and membership
    only when it is the presser's, in the notice's block; otherwise both are read."""
    block = await setup_block(db, clock, REPS)
    draft = Draft(TEXT, to_group=False, unit_ids=await unit_ids(db, block, "UBKT", "BDV"))
    await send_announcement(db, clock, TEXTS, await chair(runtime), draft)

    async def caller(tg_user_id: int) -> Caller:
        return await resolve_caller(db, tg_user_id=tg_user_id, admin_ids=frozenset(),
                                    default_language="vi")

    first = await acknowledge(db, clock, 1, 20, "Người 20", caller=await caller(20))
    assert first.outcome is AckOutcome.RECORDED and first.unit is not None
    colleague = await acknowledge(db, clock, 1, 21, "Người 21", caller=await caller(21))
    assert colleague.outcome is AckOutcome.ALREADY and colleague.ack == first.ack
    # Someone else's caller (a bug, or a forged hand-over) is not taken for the presser's.
    stranger = await acknowledge(db, clock, 1, 999, "Người lạ", caller=await caller(30))
    assert stranger.outcome is AckOutcome.REFUSED
    other_block = Caller(tg_user_id=30, is_admin=False, language="vi",
                         block=replace(block, id=block.id + 1))
    bdv = await acknowledge(db, clock, 1, 30, "Người 30", caller=other_block)
    assert bdv.outcome is AckOutcome.RECORDED and bdv.unit is not None  # read, not lent
    assert bdv.unit.code == "BDV"


async def test_a_colleague_pressing_at_the_same_moment_keeps_the_first_ack(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock)
    async with db.read() as conn:
        unit_id = (await members_repo.get_membership(conn, 1, 20)).unit_id  # type: ignore[union-attr]
    first = Ack(1, unit_id, 20, "Người 20", clock.now())
    # Both read "not confirmed yet" before either wrote (acknowledge's shortcut missed):
    # the second insert is ignored and the first confirmation is returned.
    async with db.transaction() as conn:
        assert await ann_repo.add_ack(conn, first) == (first, True)
        late = Ack(1, unit_id, 21, "Người 21", clock.now() + timedelta(seconds=1))
        kept, fresh = await ann_repo.add_ack(conn, late)
    assert not fresh and (kept.tg_user_id, kept.full_name) == (20, "Người 20")


async def test_languages_of_many_chats_in_one_read(db: Database) -> None:
    async with db.transaction() as conn:
        await prefs_repo.set_pref(conn, 20, language="en")
        await prefs_repo.set_pref(conn, 21, current_block_id=None)  # no language chosen
    async with db.read() as conn:
        assert await prefs_repo.languages_of(conn, [20, 21, 30]) == {20: "en"}
        assert await prefs_repo.languages_of(conn, []) == {}


async def test_no_ack_asked_means_no_press_counts(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock, Draft(TEXT, ask_ack=False))
    assert (await acknowledge(db, clock, 1, 20, "Người 20")).outcome is AckOutcome.NOT_ASKED
    result = await nudge(db, clock, TEXTS, await chair(runtime), 1)
    assert result.outcome is NudgeOutcome.NOBODY


async def test_nudge_reaches_the_rest_once_per_cooldown(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock)
    author = await chair(runtime)
    await acknowledge(db, clock, 1, 20, "Người 20")
    first = await nudge(db, clock, TEXTS, author, 1)
    assert (first.outcome, first.people, first.units) == (NudgeOutcome.SENT, 2, 2)  # BTG, BDV
    assert (await nudge(db, clock, TEXTS, author, 1)).outcome is NudgeOutcome.TOO_SOON
    clock.advance(timedelta(minutes=11))
    assert (await nudge(db, clock, TEXTS, author, 1)).outcome is NudgeOutcome.SENT
    async with db.read() as conn:
        rows = await outbox_repo.batch_rows(conn, "announce:1:nudge1")
        again = await outbox_repo.batch_rows(conn, "announce:1:nudge2")
    assert sorted(r.chat_id for r in rows) == [10, 30] and len(again) == 2
    assert "Ban Tuyên giáo Tỉnh ủy chưa xác nhận" in (rows[0].parts[0]["text"] or "")
    someone = await resolve_caller(db, tg_user_id=20, admin_ids=frozenset(),
                                   default_language="vi")
    assert (await nudge(db, clock, TEXTS, someone, 1)).outcome is NudgeOutcome.NOBODY


async def test_deadline_is_handled_once_with_a_list_for_the_author(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    due = clock.now() + timedelta(hours=2)
    await announce(runtime, db, clock, Draft(TEXT, deadline=due))
    await acknowledge(db, clock, 1, 10, "Người 10")
    clock.advance(timedelta(hours=1))
    assert await handle_due_deadlines(db, clock, TEXTS) == []
    clock.advance(timedelta(hours=1))
    assert await handle_due_deadlines(db, clock, TEXTS) == [1]
    assert await handle_due_deadlines(db, clock, TEXTS) == []
    async with db.read() as conn:
        reminders = await outbox_repo.batch_rows(conn, "announce:1:deadline")
    chats = [r.chat_id for r in reminders]
    assert chats == [20, 21, 30, 1]  # UBKT's two representatives, BDV, then the author
    assert "Chưa xác nhận: UBKT, BDV, DUK" in (reminders[-1].parts[0]["text"] or "")


async def test_report_counts_deliveries_from_the_outbox(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock)
    async with db.transaction() as conn:
        rows = {r.chat_id: r for r in await outbox_repo.batch_rows(conn, "announce:1")}
        await outbox_repo.finish(conn, rows[-100].id, State.SENT, clock.now(), message_id=7)
        await outbox_repo.finish(conn, rows[30].id, State.UNREACHABLE, clock.now(), error="403")
    rep = await report(db, 1)
    assert rep is not None
    assert (rep.total, rep.sent, len(rep.failed), rep.queued) == (6, 1, 1, 4)
    assert rep.names[30] == "Người 30"  # read for the failure list
    assert [u.code for u in rep.units_without_reps] == ["DUK", "BTC", "TCT", "BNC", "BBT"]
    [group] = [ln for ln in rep.lines if ln.recipient.unit_id is None]
    assert group.row is not None and group.row.message_id == 7


async def test_names_are_read_only_for_a_failure_list(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock)
    rep = await report(db, 1)
    assert rep is not None and not rep.failed and rep.names == {}


async def test_the_group_counter_reads_the_group_copy_and_the_confirmations(
    runtime: Runtime, db: Database, clock: ManualClock
) -> None:
    await announce(runtime, db, clock)
    before = await group_counter(db, 1)
    assert before is not None and before.row is not None
    assert before.row.chat_id == -100 and before.row.state is State.PENDING
    assert before.standing.acked == 0
    async with db.transaction() as conn:
        rows = {r.chat_id: r for r in await outbox_repo.batch_rows(conn, "announce:1")}
        await outbox_repo.finish(conn, rows[-100].id, State.SENT, clock.now(), message_id=7)
    await acknowledge(db, clock, 1, 10, "Người 10")
    after = await group_counter(db, 1)
    assert after is not None and after.row is not None
    assert (after.row.state, after.row.message_id) == (State.SENT, 7)
    assert after.standing.acked == 1 and len(after.standing.ack_units) == 8  # not the chair's
    full = await report(db, 1)
    assert full is not None
    [group] = [ln for ln in full.lines if ln.recipient.unit_id is None]
    assert (after.standing, after.row) == (full.standing, group.row)
    assert await group_counter(db, 2) is None  # no such notice
