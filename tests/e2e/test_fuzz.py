"""A few hundred random updates of every kind, driven through the emulator against the real
bot (issue 26). First a sweep: every command with the longest argument Telegram lets
through (one word, or words), from the chair, a representative and a stranger, in private
and in the group. Then random updates: commands with random arguments; texts with emoji,
foreign HTML and up to the longest a person can send, some with formatting entities whose
link address or code language is hostile; the answer a screen asked for, right after a
real press; button presses on the bot's messages with real data, mutated data (ids
replaced by superscripts, 20 digits, nothing; truncated; extended) and data forged around
every callback prefix; photos and documents with odd names, types and captions; updates of
an odd Bot API server (old poll shapes, a message without `from`, edited messages, channel
posts). All from registered and unregistered people, in private chats and in the group,
against one submitted report under review.

It fails on any log record at ERROR or above (a traceback), any call Telegram would refuse
(the emulator checks lengths in UTF-16 units, entities, keyboards), or a press left
unanswered; then /status must still answer. Seeded: FUZZ_SEED and FUZZ_UPDATES repeat or
widen a run.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.factory import build_application
from bot.sandbox import ApiCall, SentMessage
from handlers import all_commands
from tests.e2e import fuzzing
from tests.e2e import harness as harness_module
from tests.e2e.harness import GROUP_ID, BotHarness, Person
from tests.reports.e2e_helpers import FULL_LINES, data_of

pytestmark = pytest.mark.e2e

SEED = int(os.environ.get("FUZZ_SEED", "26"))
UPDATES = int(os.environ.get("FUZZ_UPDATES", "300"))
BATCH = 12  # updates sent before waiting for the bot to go quiet
# What the bot does on purpose and handles: an edit with nothing new ("not modified").
EXPECTED_REFUSALS = ("message is not modified",)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
async def fuzzed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BotHarness]:
    """The harness's bot, without its pacing (30 sends a second, 20 a minute into a group;
    tested on their own): the bot handles updates one after another, and a few hundred
    of them would otherwise be mostly waiting, minutes of it in the group."""
    unpaced = functools.partial(build_application, overall_max_rate=100_000,
                                group_max_rate=100_000)
    monkeypatch.setattr(harness_module, "build_application", unpaced)
    h = BotHarness(tmp_path)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


def refused(calls: list[ApiCall]) -> list[str]:
    """Calls Telegram would have refused, other than those the bot expects and handles."""
    return [c.summary() for c in calls
            if not c.ok and c.fault is None and c.method != "getUpdates"
            and not any(e in (c.error or "") for e in EXPECTED_REFUSALS)]


def bot_messages(h: BotHarness, chat_id: int) -> list[SentMessage]:
    return [m for m in h.emu.sent_messages(chat_id) if not m.deleted]


def real_data(h: BotHarness, chat_id: int) -> Iterator[tuple[SentMessage, str]]:
    for message in bot_messages(h, chat_id):
        for button in message.buttons:
            if "callback_data" in button:
                yield message, str(button["callback_data"])


class Fuzzer:
    def __init__(self, h: BotHarness, people: list[Person], stranger: Person) -> None:
        self.h, self.people, self.stranger = h, people, stranger
        self.rng = random.Random(SEED)
        self.commands = [*sorted(c.name for c in all_commands()), "unknown"]
        self.kinds: Counter[str] = Counter()
        self.queries: list[str] = []
        self.typing: Person | None = None  # who just pressed a real button: types next

    def sweeps(self) -> Iterator[None]:
        """Every command with the longest argument Telegram lets through (one word, or
        words), from the chair, a representative and a stranger, in private and in the
        group."""
        chair, rep = self.people[0], self.people[1]
        for name in self.commands:
            for person in (chair, rep, self.stranger):
                for chat_id, word in ((person.user_id, True), (person.user_id, False),
                                      (GROUP_ID, True)):
                    head = "/" + name
                    tail = fuzzing.fill(self.rng, fuzzing.TEXT_MAX - len(head) - 1, word=word)
                    self.kinds["command, longest argument"] += 1
                    self.h.emu.send_text(person.user_id, f"{head} {tail}", chat_id=chat_id)
                    yield

    def one(self) -> None:
        rng, emu = self.rng, self.h.emu
        if self.typing is not None and rng.random() < 0.6:
            # The answer a screen asked for (a value, a reason, a slogan), often the longest.
            person, self.typing = self.typing, None
            self.kinds["text after a real press"] += 1
            maximal = rng.random() < 0.4
            emu.send_text(person.user_id, fuzzing.fill(rng, fuzzing.TEXT_MAX) if maximal
                          else fuzzing.text(rng))
            return
        person = rng.choice([*self.people, self.stranger])
        in_group = rng.random() < 0.2
        chat_id = GROUP_ID if in_group else person.user_id
        roll = rng.random()
        if roll < 0.3:
            self.kinds["command"] += 1
            said = fuzzing.command_text(rng, self.commands)
            emu.send_text(person.user_id, said, chat_id=chat_id,
                          entities=fuzzing.entities(rng, said))
        elif roll < 0.5:
            self.kinds["text"] += 1
            said = fuzzing.text(rng)
            emu.send_text(person.user_id, said, chat_id=chat_id,
                          entities=fuzzing.entities(rng, said))
        elif roll < 0.85:
            self.press(person, chat_id)
        elif roll < 0.88:
            self.kinds["raw update of an odd server"] += 1
            emu.inject_update(fuzzing.raw_update(rng, emu.user(person.user_id).as_user(),
                                                 emu.world.date()))
        elif roll < 0.94:
            self.kinds["photo"] += 1
            caption = fuzzing.text(rng, fuzzing.CAPTION_MAX) if rng.random() < 0.6 else None
            emu.send_photo(person.user_id, PNG if rng.random() < 0.5 else fuzzing.payload(rng),
                           caption=caption, chat_id=chat_id)
        else:
            self.kinds["document"] += 1
            caption = fuzzing.text(rng, fuzzing.CAPTION_MAX) if rng.random() < 0.4 else None
            emu.send_document(person.user_id, fuzzing.payload(rng),
                              filename=fuzzing.file_name(rng), mime_type=fuzzing.mime_type(rng),
                              caption=caption, chat_id=chat_id)

    def press(self, person: Person, chat_id: int) -> None:
        rng = self.rng
        choices = list(real_data(self.h, chat_id))
        targets = bot_messages(self.h, chat_id)
        if not targets:  # nothing to press in this chat yet: say something instead
            self.kinds["command"] += 1
            self.h.emu.send_text(person.user_id, "/help", chat_id=chat_id)
            return
        if choices and rng.random() < 0.75:
            message, real = rng.choice(choices)
            data = fuzzing.mutate(rng, real)
            self.kinds["press (real)" if data == real else "press (mutated)"] += 1
            if data == real and chat_id == person.user_id:
                self.typing = person
        else:
            message, data = rng.choice(targets), fuzzing.forged(rng)
            self.kinds["press (forged)"] += 1
        query = self.h.emu.press_button(person.user_id, message, data, chat_id=chat_id)
        self.queries.append(str(query["id"]))


async def quiet(h: BotHarness, seconds: float = 0.03) -> None:
    """Until the bot has answered what it was sent (no call for `seconds`), its charts and
    exports are done and the outbox is empty."""
    await h.emu.wait_idle(quiet=seconds, timeout=30)
    await h.handlers_done()
    await h.settle()


async def press_label(
    h: BotHarness, person: Person, message: SentMessage, label: str
) -> SentMessage:
    """Press a button by its label; the screen it leads to (once the bot is quiet)."""
    await h.press(person, message, data_of(message, label))
    await quiet(h)
    return bot_messages(h, person.user_id)[-1]


async def prepared(h: BotHarness) -> tuple[list[Person], Person]:
    """The chair, three units' representatives (one report submitted for the chair to
    review), someone who never registered, and the block's group with all of them."""
    chair = await h.register("VPTU", "Chánh Văn phòng")
    reps = [await h.register(code) for code in ("BBT", "UBKT", "TCT")]
    stranger = h.person("Người lạ")
    h.emu.add_group(GROUP_ID, "Khối thi đua 6",
                    members=[chair.user_id, *(r.user_id for r in reps), stranger.user_id])
    await h.bind_group(chair)
    form = await h.say(reps[0], FULL_LINES)
    confirm = await press_label(h, reps[0], form, "📤")
    await press_label(h, reps[0], confirm, "✅")
    await h.say(chair, "/review")
    return [chair, *reps], stranger


async def test_random_updates_never_break_the_bot(
    fuzzed: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    h = fuzzed
    caplog.set_level(logging.WARNING)
    people, stranger = await prepared(h)
    started = time.monotonic()
    fuzzer = Fuzzer(h, people, stranger)
    for n, _ in enumerate(fuzzer.sweeps()):
        if n % BATCH == BATCH - 1:
            await quiet(h)
    for n in range(UPDATES):
        fuzzer.one()
        if n % BATCH == BATCH - 1:
            await quiet(h)
    await quiet(h, 0.3)
    elapsed = time.monotonic() - started

    again = f"(FUZZ_SEED={SEED} repeats this run)"
    errors = [f"{r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records
              if r.levelno >= logging.ERROR]
    assert errors == [], again + "\n" + "\n".join(errors[:20])
    assert list(h.runtime.failed_updates) == [], again
    assert refused(h.emu.calls) == [], again
    answered = {a.callback_query_id for a in h.emu.callback_answers()}
    assert [q for q in fuzzer.queries if q not in answered] == [], again
    for person in (people[0], people[1], stranger):  # the bot still answers everyone
        status = await h.say(person, "/status")
        assert status.text
    print(f"\nfuzz: seed {SEED}, {sum(fuzzer.kinds.values())} updates in {elapsed:.1f} s: "
          + ", ".join(f"{k} {v}" for k, v in sorted(fuzzer.kinds.items()))
          + f"; {len(h.emu.calls)} Bot API calls")
