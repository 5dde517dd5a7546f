"""Reading 429s: one chat's limit pauses that chat; several chats at once pause the bot."""

from __future__ import annotations

from bot.outbox.pace import (
    FLOOD_CHATS,
    FLOOD_SAMPLE,
    FLOOD_SPAN,
    OUTBOX_BURST,
    FloodWatch,
    Pace,
)


def test_a_chat_at_its_limit_pauses_that_chat_only() -> None:
    watch = FloodWatch()
    for chat in range(1, 10):
        watch.answered(chat, 0.0)
    assert watch.limited(5, 3.0, 0.1) is False
    assert watch.ready_at(5) == 3.1
    assert watch.ready_at(6) <= 0.1
    assert watch.paused_chats(1.0) == {5}
    assert watch.next_end(1.0) == 3.1
    assert watch.paused_chats(3.2) == set() and watch.next_end(3.2) is None


def test_scattered_chat_limits_among_many_answers_are_no_flood() -> None:
    watch = FloodWatch()
    now = 0.0
    for i in range(200):  # 30 answers a second, every 10th chat at its own limit
        now += 1 / 30
        if i % 10 == 0:
            assert watch.limited(i, 2.0, now) is False
        else:
            watch.answered(i, now)
    assert watch.flood_until == 0.0


def test_one_chat_refused_again_and_again_is_no_flood() -> None:
    watch = FloodWatch()
    for i in range(2 * FLOOD_SAMPLE):
        assert watch.limited(7, 1.0, i * 0.01) is False
    assert watch.flood_until == 0.0


def test_several_chats_refused_together_pause_every_chat() -> None:
    watch = FloodWatch()
    for chat in range(100, 110):
        watch.answered(chat, 0.0)
    flooded = [watch.limited(chat, 4.0, 0.2) for chat in range(1, 1 + FLOOD_CHATS + 8)]
    assert flooded[-1] is True and flooded[0] is False
    assert watch.flood_until == 4.2
    assert watch.ready_at(999) == 4.2  # a chat that never answered 429 waits too


def test_old_answers_do_not_count() -> None:
    watch = FloodWatch()
    for chat in range(1, FLOOD_CHATS):
        watch.limited(chat, 1.0, 0.0)
    # A third chat much later: the first two are history, not a flood.
    assert watch.limited(99, 1.0, FLOOD_SPAN + 1) is False
    assert watch.limited(98, 1.0, FLOOD_SPAN + 1.1) is False
    assert watch.limited(97, 1.0, FLOOD_SPAN + 1.2) is True


def test_the_pace_lets_answers_burst_and_keeps_the_outbox_even() -> None:
    pace = Pace(10)
    assert pace.delay(0.0, OUTBOX_BURST) == 0.0
    for _ in range(OUTBOX_BURST):
        pace.take(0.0)  # three sends at t=0
    assert pace.delay(0.0, OUTBOX_BURST) > 0  # the outbox waits for the schedule
    assert pace.delay(0.0, pace.per_second) == 0.0  # an answer may still go now
