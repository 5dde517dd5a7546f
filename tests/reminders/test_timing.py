"""End to end, in real time: every kind of scheduled thing reaches the emulator at its
planned second, with the bot waking by itself (no test calls run_reminders).

The block is planned so that, seconds after the clock starts, one row of each kind falls
due: a ranking post, a signing reminder, a phase's start notice, a missed-deadline list, a
report reminder, and a notice's confirmation deadline the chair sets through the chat
just before. Each round's lateness (its first and last message in the emulator against the
planned time) is printed; any over MAX_LATENESS fails the test.

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/reminders/test_timing.py
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import tests.e2e.harness as harness_module
from bot.sandbox import ApiCall
from bot.services.announce import compose
from bot.services.clock import ManualClock
from bot.services.ranking.posts import draw
from bot.wakeup import NEXT_JOB, wakeup_of
from storage import announcements as announcements_repo
from storage import blocks as blocks_repo
from storage import reminders as reminders_repo
from tests.announce.live import Block
from tests.charts.samples import nine_units
from tests.e2e.harness import EXAMPLE_BLOCK, GROUP_ID, BotHarness, Person

pytestmark = pytest.mark.e2e

MAX_LATENESS = 5.0  # seconds: the test fails above it (the bot aims at 2 s)
# 07:59:47 in the block's timezone (UTC+7): the third phase starts 13 s later, at 08:00.
START = datetime(2023, 7, 1, 0, 59, 47, tzinfo=UTC)
# The chair's "2 hours" confirmation deadline, shortened so it falls inside the test.
NOTICE_DEADLINE = timedelta(seconds=22)
NOTICE = "Kính gửi các đơn vị: họp Khối lúc 8 giờ ngày 15/7."

PHASES = """[[phases]]
code = "DOT1"
name = "Đợt 1"
start = 2023-01-01
end = 2023-03-31
report_due = 2023-07-01T07:54:52   # its ranking post: 5 min later, START + 5 s

[[phases]]
code = "DOT2"
name = "Đợt 2"
start = 2023-04-01
end = 2023-06-30
report_due = 2023-07-01T07:59:04   # its missed-deadline list: 1 min later, START + 17 s

[[phases]]
code = "DOT3"
name = "Đợt 3"
start = 2023-07-01                 # its start notice: 08:00, START + 13 s
end = 2023-12-31
report_due = 2023-07-01T08:01:08   # its "1m" reminder: START + 21 s

"""


class RunningClock(ManualClock):
    """Frozen at its start while the test sets the block up, then running at real speed
    from there (the bot's clock; the wake-up counts its delays on it)."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.offset: float | None = None  # seconds from time.time() to the clock, running

    def run(self) -> None:
        self.offset = super().now().timestamp() - time.time()

    def now(self) -> datetime:
        if self.offset is None:
            return super().now()
        return datetime.fromtimestamp(time.time() + self.offset, UTC)

    def real(self, when: datetime) -> float:
        """The real time (as time.time() and the emulator count) the clock shows `when`."""
        assert self.offset is not None
        return when.timestamp() - self.offset


def timed_block(directory: Path) -> Path:
    text = EXAMPLE_BLOCK.read_text(encoding="utf-8")
    first, scoring = text.index("[[phases]]"), text.index("# The scoring table")
    text = text[:first] + PHASES + text[scoring:]
    text = text.replace("sign_by = 2023-03-17", "sign_by = 2023-07-01T08:00:56")  # START + 9 s
    text = text.replace('before_report_due = ["7d", "3d", "1d", "2h"]',
                        'before_report_due = ["1m"]')
    text = text.replace('before_sign_by = ["3d", "1d"]', 'before_sign_by = ["1m"]')
    text = text.replace('quiet_hours = "21:00-07:00"', 'quiet_hours = ""')
    # The deadline's ranking post shows self-scores: only for a block that publishes them.
    text = text.replace("# publish_self_scores = false", "publish_self_scores = true")
    path = directory / "timed.toml"
    path.write_text(text, encoding="utf-8")
    return path


def plain(call: ApiCall) -> str:
    text = call.params.get("text") or call.params.get("caption") or ""
    return re.sub(r"<[^>]+>", "", str(text))


@dataclass
class Expected:
    what: str
    planned: datetime
    method: str
    matches: Callable[[ApiCall], bool]
    first: float | None = None  # seconds late, first and last message of the round
    last: float | None = None


def says(needle: str) -> Callable[[ApiCall], bool]:
    return lambda call: needle in plain(call)


async def planned_times(h: BotHarness) -> dict[tuple[str, str], datetime]:
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        rows = await reminders_repo.all_rows(conn, block.id)
    return {(r.kind, r.subject): r.due_at for r in rows}


async def publish_covenant(h: BotHarness, chair: Person) -> None:
    mark = h.emu.mark()
    h.emu.send_text(chair.user_id, "/covenant publish")
    preview = await h.emu.wait_for_message(
        chair.user_id, after=mark, timeout=15,
        predicate=lambda m: any("Phát hành" in str(b.get("text")) for b in m.buttons))
    await h.press(chair, preview, preview.button("Phát hành")["callback_data"])


async def send_notice_with_deadline(b: Block) -> datetime:
    """The chair sends a notice with the (shortened) "2 hours" deadline; returns it."""
    panel = await b.compose(NOTICE)
    await b.press(b.chair, panel, "0 giờ")  # the label of a deadline under an hour
    await b.send(b.emu.sent_messages(b.chair.user_id)[-1])
    async with b.h.db.read() as conn:
        announcement = await announcements_repo.get_announcement(conn, 1)
    assert announcement is not None and announcement.ack_deadline is not None
    return announcement.ack_deadline


async def test_every_scheduled_thing_arrives_on_time(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness_module, "ManualClock", RunningClock)
    monkeypatch.setitem(compose.DEADLINES, "2h", NOTICE_DEADLINE)
    h = BotHarness(tmp_path, block_file=timed_block(tmp_path), now=START,
                   automatic_reminders=True)
    await h.start()
    try:
        # A running bot's chart worker has long loaded matplotlib (`thidua-bot run` starts
        # it at start-up): the ranking post's lateness is then its own chart's drawing.
        await draw(nine_units(), fingerprint="warm-up")
        clock = h.clock
        assert isinstance(clock, RunningClock)
        reps = {code: await h.register(code) for code in ("VPTU", "TCT", "BNC")}
        await h.bind_group(reps["VPTU"])
        await publish_covenant(h, reps["VPTU"])
        await h.settle(quiet=0.3)
        mark = len(h.emu.calls)
        clock.run()  # from here the bot wakes by itself, on time or not at all
        deadline = await send_notice_with_deadline(Block(h, reps["VPTU"], reps))

        due = await planned_times(h)
        expected = [
            Expected("ranking post DOT1", due[("ranking", "DOT1")], "sendPhoto",
                     lambda c: c.chat_id == GROUP_ID),
            Expected("sign reminder", due[("sign", "covenant")], "sendMessage",
                     says("đến hạn ký giao ước")),
            Expected("phase-start DOT3", due[("phase-start", "DOT3")], "sendMessage",
                     says("Bắt đầu Đợt 3")),
            Expected("missed-deadline list DOT2", due[("report-overdue", "DOT2")],
                     "sendMessage", says("hạn nộp báo cáo Đợt 2")),
            Expected("report reminder DOT3", due[("report", "DOT3")], "sendMessage",
                     says("đến hạn nộp báo cáo Đợt 3")),
            Expected("notice confirmation deadline", deadline, "sendMessage",
                     says("ết hạn xác nhận")),
        ]
        assert all(e.planned > clock.now() for e in expected), "set-up took too long"
        await wait_for_rounds(h, clock, expected, mark)
    finally:
        await h.stop()

    lateness = [value for e in expected for value in (e.first, e.last) if value is not None]
    worst = max(lateness)
    print(f"\nscheduled rounds, lateness in the emulator (max {MAX_LATENESS:g} s):")
    for e in expected:
        print(f"  {e.what:<30} planned {e.planned:%H:%M:%S} UTC  first +{e.first:.3f} s"
              f"  last +{e.last:.3f} s")
    print(f"maximum lateness: {worst:.3f} s")
    assert all(e.first is not None for e in expected)
    assert worst <= MAX_LATENESS, f"a round arrived {worst:.3f} s late"


async def wait_for_rounds(h: BotHarness, clock: RunningClock, expected: list[Expected],
                          mark: int) -> None:
    """Until each round has arrived (MAX_LATENESS + 1 s at most), then note its first and
    last message (the outbox sends a round's messages one after the other)."""
    for e in expected:
        planned = clock.real(e.planned)
        await h.emu.wait_for_calls(e.method, predicate=e.matches, after=mark, ok=True,
                                   timeout=max(planned + MAX_LATENESS + 1 - time.time(), 0.1))
    await h.settle(quiet=0.5)  # the rest of the last rounds
    for e in expected:
        times = [c.time for c in h.emu.calls[mark:]
                 if c.ok and c.method == e.method and e.matches(c)]
        planned = clock.real(e.planned)
        e.first, e.last = min(times) - planned, max(times) - planned
        assert e.first >= 0, f"{e.what}: arrived {-e.first:.3f} s early"


def immediate_digest(directory: Path) -> Path:
    """The example block with each registration told to the chair at once: no digest is
    planned for later, so nothing else is due for days."""
    text = EXAMPLE_BLOCK.read_text(encoding="utf-8").replace(
        '# chair_digest = "hourly"', 'chair_digest = "immediate"')
    path = directory / "immediate.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_notice_with_a_deadline_rearms_the_wakeup(tmp_path: Path) -> None:
    """Nothing else is due for days: only the chair's send can have armed the job at the
    notice's confirmation deadline."""
    h = BotHarness(tmp_path, block_file=immediate_digest(tmp_path), automatic_reminders=True)
    await h.start()
    try:
        wakeup = wakeup_of(h.app)
        at_start = wakeup.next_at
        assert at_start is not None and at_start - h.clock.now() > timedelta(days=1)
        reps = {code: await h.register(code) for code in ("VPTU", "TCT")}
        b = Block(h, reps["VPTU"], reps)
        panel = await b.compose(NOTICE)
        await b.press(b.chair, panel, "2 giờ")
        await b.send(b.emu.sent_messages(b.chair.user_id)[-1])
        assert wakeup.next_at == h.clock.now() + timedelta(hours=2)
        assert h.app.job_queue is not None
        [job] = h.app.job_queue.get_jobs_by_name(NEXT_JOB)
        assert job.next_t is not None
    finally:
        await h.stop()


async def test_a_restart_catches_up_by_itself(tmp_path: Path) -> None:
    """A round that fell due while the bot was down goes out as soon as it is back, with
    no one firing it: the wake-up arms at once for a row already due."""
    text = EXAMPLE_BLOCK.read_text(encoding="utf-8")
    text = text.replace("report_due = 2023-06-20 ", "report_due = 2023-02-01T09:10:00 ")
    text = text.replace('before_report_due = ["7d", "3d", "1d", "2h"]',
                        'before_report_due = ["5m"]')
    path = tmp_path / "block.toml"
    path.write_text(text, encoding="utf-8")
    h = BotHarness(tmp_path, block_file=path, automatic_reminders=True)  # 09:00 local
    await h.start()
    try:
        rep = await h.register("TCT")
        await h.stop_bot()
        h.clock.advance(timedelta(minutes=6))  # the "5m" round (09:05) passes while down
        mark = h.emu.mark()
        await h.start_bot()
        [reminder] = await h.emu.wait_for_messages(rep.user_id, after=mark, timeout=5)
        assert "còn 4 phút đến hạn nộp báo cáo" in (reminder.text or "")
    finally:
        await h.stop()
