"""The closed-loop driver: simulated users queue updates in the emulator and time the answers.

`lanes` users act at once (the in-flight window); each lane queues its next update as soon
as the previous one was answered, so the stream saturates the bot the same way for the
baseline and the bot, and the latency of an update is the time from the moment it was
made available to the bot (queued in the emulator, long polls woken) to the moment its
answering call reached the emulator (ApiCall.time, recorded by the emulator).

A user never has two updates in flight: lanes own disjoint sets of users.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.sandbox import ApiCall, BotApiEmulator
from tests.benchmarks.load_mix import Action, Expect


@dataclass(frozen=True)
class Step:
    kind: str
    user: int


@dataclass(frozen=True)
class Sample:
    kind: str  # the kind actually done (after a fallback)
    start: float  # time.time() when the update was queued
    end: float | None  # when its answer reached the emulator; None: never answered
    ok: bool  # the answering call succeeded

    @property
    def latency(self) -> float | None:
        return None if self.end is None else self.end - self.start


@dataclass
class Tracker:
    """Watches every call the emulator finishes and hands answers to the waiting lanes."""

    emu: BotApiEmulator
    first_poll_at: float | None = None
    failed_calls: list[ApiCall] = field(default_factory=list)
    methods: Counter[str] = field(default_factory=Counter)  # calls finished, by method
    _by_chat: dict[int, tuple[frozenset[str], asyncio.Future[ApiCall]]] = field(
        default_factory=dict)
    _by_query: dict[str, asyncio.Future[ApiCall]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        journal = self.emu.journal
        begin, end = journal.begin, journal.end

        def on_begin(long_poll: bool) -> None:
            if long_poll and self.first_poll_at is None:
                self.first_poll_at = time.time()
            begin(long_poll)

        def on_end(long_poll: bool, call: ApiCall) -> None:
            end(long_poll, call)
            self._dispatch(call)

        # Instance attributes shadow the methods: the emulator's handlers call these.
        journal.begin = on_begin  # type: ignore[method-assign]
        journal.end = on_end  # type: ignore[method-assign]

    def _dispatch(self, call: ApiCall) -> None:
        self.methods[call.method] += 1
        if call.method == "getUpdates":
            return
        if not call.ok:
            self.failed_calls.append(call)
        if call.method == "answerCallbackQuery":
            future = self._by_query.pop(str(call.params.get("callback_query_id")), None)
        else:
            try:
                chat_id = int(call.chat_id)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return
            waiting = self._by_chat.get(chat_id)
            if waiting is None or call.method not in waiting[0]:
                return
            future = self._by_chat.pop(chat_id)[1]
        if future is not None and not future.done():
            future.set_result(call)

    def expect(self, expect: Expect) -> asyncio.Future[ApiCall]:
        future: asyncio.Future[ApiCall] = asyncio.get_running_loop().create_future()
        if expect.query_id is not None:
            self._by_query[expect.query_id] = future
        else:
            self._by_chat[expect.chat_id] = (expect.methods, future)
        return future

    def forget(self, expect: Expect) -> None:
        if expect.query_id is not None:
            self._by_query.pop(expect.query_id, None)
        else:
            self._by_chat.pop(expect.chat_id, None)


def plan(kinds: list[str], users: list[int], lanes: int) -> list[list[Step]]:
    """Deal the stream of kinds to `lanes` lanes; each lane cycles through its own users."""
    lanes = max(1, min(lanes, len(users)))
    owned = [users[i::lanes] for i in range(lanes)]
    steps: list[list[Step]] = [[] for _ in range(lanes)]
    for index, kind in enumerate(kinds):
        lane = index % lanes
        mine = owned[lane]
        steps[lane].append(Step(kind, mine[len(steps[lane]) % len(mine)]))
    return steps


def stream_kinds(weights: dict[str, float], count: int, seed: int,
                 extra: tuple[str, int] | None = None) -> list[str]:
    """`count` kinds drawn by weight (seeded); `extra` = (kind, n) spread evenly over it."""
    rng = random.Random(seed)
    names = list(weights)
    kinds = rng.choices(names, weights=[weights[n] for n in names], k=count)
    if extra is not None:
        kind, n = extra
        for i in range(n):
            kinds[(2 * i + 1) * count // (2 * n)] = kind
    return kinds


async def run_stream(
    emu: BotApiEmulator, tracker: Tracker, lanes: list[list[Step]],
    action_of: Callable[[str], Action], *, deadline: float, answer_within: float,
    seed: int = 0,
) -> list[Sample]:
    """Play every lane to its end (or until `deadline`, loop time); an update unanswered
    after `answer_within` seconds counts as failed. The samples, in completion order."""
    samples: list[Sample] = []
    loop = asyncio.get_running_loop()

    async def play(index: int, steps: list[Step]) -> None:
        rng = random.Random(seed * 1000 + index)
        for step in steps:
            if loop.time() >= deadline:
                return
            kind = step.kind
            action = action_of(kind)
            start = time.time()
            expect = action.push(emu, step.user, rng)
            while expect is None and action.fallback is not None:
                kind = action.fallback
                action = action_of(kind)
                expect = action.push(emu, step.user, rng)
            if expect is None:
                raise RuntimeError(f"{step.user} could not do {step.kind}")
            future = tracker.expect(expect)
            try:
                wait = max(0.001, min(answer_within, deadline - loop.time()))
                call = await asyncio.wait_for(future, wait)
            except TimeoutError:
                tracker.forget(expect)
                samples.append(Sample(kind, start, None, False))
                continue
            samples.append(Sample(kind, start, call.time, call.ok))

    await asyncio.gather(*(play(i, steps) for i, steps in enumerate(lanes)))
    return samples
