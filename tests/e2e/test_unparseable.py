"""Updates the library cannot read (issue 26.1) stop nothing: through long polling, a `poll`
without a field a newer Bot API made required and a `poll_answer` without `option_ids`,
among good updates, are skipped, counted and logged once each by id and reason; the good
ones are answered and the bot polls on past them. Updates with no one to serve (no content,
a private message without `from`) raise nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.incoming import build_problem, screened
from bot.sandbox import ApiCall
from bot.unreadable import REASON_MAX_CHARS, UnreadableUpdates, reason_of
from tests.e2e.harness import BotHarness

pytestmark = pytest.mark.e2e

QUESTION = "Câu hỏi bí mật của ai đó?"
# A poll as a Bot API server older than the library sends it: no persistent_id.
OLD_POLL: dict[str, Any] = {"poll": {
    "id": "5361", "question": QUESTION, "options": [{"text": "Có", "voter_count": 1}],
    "total_voter_count": 1, "is_closed": False, "is_anonymous": True, "type": "regular",
    "allows_multiple_answers": False,
}}


def old_poll_answer(user_id: int) -> dict[str, Any]:
    return {"poll_answer": {"poll_id": "5361",
                            "user": {"id": user_id, "is_bot": False, "first_name": "An"}}}


def skipped_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.unreadable"]


async def test_unreadable_updates_among_good_ones(harness: BotHarness,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    rep = await harness.register("BBT")
    mark = emu.mark()
    # One batch: good, unreadable, good, unreadable, good.
    emu.send_text(rep.user_id, "/status")
    poll = emu.inject_update(OLD_POLL)
    emu.send_text(rep.user_id, "/help")
    answer = emu.inject_update(old_poll_answer(rep.user_id))
    emu.send_text(rep.user_id, "/status")
    assert poll is not None and answer is not None
    replies = await emu.wait_for_messages(rep.user_id, count=3, after=mark)
    assert "Báo Bình Thuận" in (replies[0].text or "")
    assert "Báo Bình Thuận" in (replies[2].text or "")

    # The offset moved past both: the next long poll confirms them.
    last = answer["update_id"]

    def confirms(call: ApiCall) -> bool:
        return int(call.params.get("offset") or 0) > last

    await emu.wait_for_calls("getUpdates", predicate=confirms, after=mark)
    assert emu.pending_updates() == []
    assert harness.runtime.unreadable_updates.count == 2
    assert harness.runtime.unreadable_updates.recent == [poll["update_id"], last]
    # ... and the bot goes on.
    later = await harness.say(rep, "/status")
    assert "Báo Bình Thuận" in (later.text or "")

    lines = skipped_lines(caplog)
    assert len(lines) == 2
    assert f"update {poll['update_id']} skipped" in lines[0] and "persistent_id" in lines[0]
    assert f"update {last} skipped" in lines[1] and "option_ids" in lines[1]
    # Nothing else was logged about it: no CRITICAL batch dump, no content quoted, no
    # failed update; the log of the whole episode is a few lines.
    assert all(r.levelno < logging.CRITICAL for r in caplog.records)
    assert QUESTION not in caplog.text
    assert list(harness.runtime.failed_updates) == []
    assert len(caplog.text) < 2000


async def test_updates_with_no_one_to_serve_raise_nothing(
        harness: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    rep = await harness.register("BBT")
    chat = emu.chats()[rep.user_id]
    before = len(emu.sent_messages(rep.user_id))
    # A private message without `from` (26.9), and an update of a kind the library does not
    # know (no content it can read).
    emu.inject_update({"message": {"message_id": 9001, "date": 1675216800, "chat": chat,
                                   "text": "/status"}})
    emu.inject_update({"unknown_kind_of_a_newer_bot_api": {"id": 1}})
    reply = await harness.say(rep, "/status")
    assert "Báo Bình Thuận" in (reply.text or "")
    await emu.wait_idle()
    # Only the real /status was answered: no apology for a failed update either.
    assert len(emu.sent_messages(rep.user_id)) == before + 1
    assert list(harness.runtime.failed_updates) == []
    assert harness.runtime.unreadable_updates.count == 0
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


# --- the rules ----------------------------------------------------------------------------

def test_screening_replaces_only_what_cannot_be_built() -> None:
    good = {"update_id": 7, "message": {"message_id": 1, "date": 0,
                                        "chat": {"id": 5, "type": "private"}, "text": "hi"}}
    bad = {"update_id": 8, **OLD_POLL}
    newer = {"update_id": 9, "some_future_update": {"x": 1}}  # unknown fields are fine
    unreadable = UnreadableUpdates()
    batch = screened([good, bad, newer, {"no_id": True}], unreadable, via="test")
    assert batch == [good, {"update_id": 8}, newer]
    assert unreadable.count == 2 and unreadable.recent == [8]
    assert build_problem(good) is None and build_problem(newer) is None
    assert build_problem({"update_id": True}) is not None  # a bool is no id


def test_each_update_is_noted_once(caplog: pytest.LogCaptureFixture) -> None:
    unreadable = UnreadableUpdates()
    with caplog.at_level(logging.WARNING, logger="bot.unreadable"):
        assert unreadable.note(8, "TypeError: x", via="getUpdates")
        assert not unreadable.note(8, "TypeError: x", via="getUpdates")  # asked for again
    assert unreadable.count == 1 and len(caplog.records) == 1


def test_the_reason_is_one_short_line() -> None:
    reason = reason_of(TypeError("line one\nline two " + "y" * 1000))
    assert "\n" not in reason and reason.startswith("TypeError: line one line two")
    assert len(reason) == REASON_MAX_CHARS
