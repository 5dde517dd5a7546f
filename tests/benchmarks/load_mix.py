"""What the simulated representatives do, one kind of update per `Action`.

An action queues one update in the emulator as a given user and says which API call
answers it (`Expect`): the first sendMessage/sendPhoto into that user's chat for a message,
the answerCallbackQuery of that very query for a button press. Presses use the buttons the
bot really showed that user (the report form, the notice's "received" button), so the
callback data is always what the current handlers produce.

The mix is `MIX` (kind -> share of the stream): adding a kind is one line there plus its
entry in `ACTIONS`. Writes send again the values the seed stored (load_seed.report_lines,
"yes" on the yes/no criterion): real write transactions that leave every score as it is,
so `/ranking` is answered from the chart cache while the few `chart` updates, spread
evenly over the stream, are always drawn.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox import BotApiEmulator, SentMessage
from tests.benchmarks.load_seed import report_lines, seat_of

MESSAGE_ANSWERS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
PHOTO_ANSWERS = frozenset({"sendPhoto"})
QUERY_ANSWERS = frozenset({"answerCallbackQuery"})


@dataclass(frozen=True)
class Expect:
    """The call that answers an update: by chat and method, or by callback query id."""

    chat_id: int
    methods: frozenset[str] = MESSAGE_ANSWERS
    query_id: str | None = None


@dataclass(frozen=True)
class Action:
    """Queue one update as `user`; None when this user cannot do it now (no such button)."""

    name: str
    push: Callable[[BotApiEmulator, int, random.Random], Expect | None]
    fallback: str | None = None  # the kind done instead when push() returns None
    text: Callable[[int, random.Random], str] | None = None  # what a message action writes


def text_action(name: str, make: Callable[[int, random.Random], str],
                methods: frozenset[str] = MESSAGE_ANSWERS) -> Action:
    def push(emu: BotApiEmulator, user: int, rng: random.Random) -> Expect:
        emu.send_text(user, make(user, rng))
        return Expect(user, methods)

    return Action(name, push, text=make)


def _fixed(text: str) -> Callable[[int, random.Random], str]:
    return lambda user, rng: text


def _latest_with(emu: BotApiEmulator, user: int, prefix: str) -> SentMessage | None:
    """The newest message of the bot in the user's chat with a button `prefix`…"""
    for message in reversed(emu.chat(user).sent.values()):
        if message.deleted:
            continue
        if any(str(b.get("callback_data", "")).startswith(prefix) for b in message.buttons):
            return message
    return None


def _press(emu: BotApiEmulator, user: int, message: SentMessage, data: str) -> Expect:
    query = emu.press_button(user, message, data)
    return Expect(user, QUERY_ANSWERS, str(query["id"]))


def form_press(emu: BotApiEmulator, user: int, rng: random.Random) -> Expect | None:
    """On the form: open a criterion (the message becomes its question); on a question:
    "yes" on the yes/no one (a write, then the form again) or back to the form. Every press
    edits the pressed message; submitting is never pressed (it would lock the report)."""
    message = _latest_with(emu, user, "rp:")
    if message is None:
        return None
    data = [str(b["callback_data"]) for b in message.buttons if "callback_data" in b]
    for wanted in ("rp:c:", "rp:y:", "rp:g:", "rp:o:"):  # rp:g: a group's page (issue 18)
        choices = [d for d in data if d.startswith(wanted)]
        if wanted == "rp:y:":
            choices = [d for d in choices if d.endswith(":1")]
        if choices:
            return _press(emu, user, message, rng.choice(choices))
    return None


def ack_press(emu: BotApiEmulator, user: int, rng: random.Random) -> Expect | None:
    """"✅ Đã nhận" on the notice copy: the unit's first press is recorded (a write, the
    unit's copies edited, the group's counter edited later, throttled); later ones are
    told who confirmed already."""
    message = _latest_with(emu, user, "an:ack:")
    if message is None:
        return None
    data = next(str(b["callback_data"]) for b in message.buttons
                if str(b.get("callback_data", "")).startswith("an:ack:"))
    return _press(emu, user, message, data)


def lines_text(user: int, rng: random.Random) -> str:
    """One to three of the unit's `CODE: value` lines (the values it already has)."""
    lines = report_lines(*seat_of(user))
    return "\n".join(rng.sample(lines, rng.randint(1, 3)))


# Charts no one asked for yet in the block: each is drawn (and then cached).
UNCACHED_CHARTS = ("/ranking year", "/progress", "/ranking DOT2")


def uncached_chart(drawn: set[tuple[int, str]]) -> Action:
    def push(emu: BotApiEmulator, user: int, rng: random.Random) -> Expect | None:
        block = seat_of(user)[0]
        command = next((c for c in UNCACHED_CHARTS if (block, c) not in drawn), None)
        if command is None:
            return None  # every chart of this block is cached by now: a cached one instead
        drawn.add((block, command))
        emu.send_text(user, command)
        return Expect(user, PHOTO_ANSWERS)

    return Action("chart", push, fallback="ranking", text=_fixed("/ranking year"))


def actions() -> dict[str, Action]:
    """Fresh actions for one run (the chart action remembers what it had drawn)."""
    return {
        "status": text_action("status", _fixed("/status")),
        "report": text_action("report", _fixed("/report")),
        "lines": text_action("lines", lines_text),
        "form-press": Action("form-press", form_press, fallback="report"),
        "ack-press": Action("ack-press", ack_press, fallback="status"),
        "ranking": text_action("ranking", _fixed("/ranking"), PHOTO_ANSWERS),
        "chart": uncached_chart(set()),
    }


# The realistic mix of the busy hour before a deadline (issue 8): reading where one stands,
# typing figures, working the form, confirming a notice, looking at the ranking.
MIX: dict[str, float] = {
    "status": 0.28,
    "lines": 0.24,
    "form-press": 0.24,
    "ack-press": 0.19,
    "ranking": 0.05,
}
# Drawn charts are not drawn by weight but spread evenly over the stream: at least
# CHARTS_MIN (enough /status updates meet a chart for a p99 to mean something), and one
# per CHARTS_EVERY updates.
CHART_KIND = "chart"
CHARTS_MIN = 10
CHARTS_EVERY = 1000
# Before the window: everyone opens the report form once, and each block's /ranking is
# drawn once, so that the stream's /ranking finds it cached.
WARM_UP = ("report", "ranking")


def chart_count(updates: int) -> int:
    return max(CHARTS_MIN, updates // CHARTS_EVERY)


def baseline_action(kind: str) -> Action:
    """The baseline's stand-in for a kind: the same user writes a message (message kinds
    their own text; presses a short one, since a bare MessageHandler answers messages
    only). The fixed answer is a sendMessage either way."""
    make = actions()[kind].text or _fixed("Đã nhận")
    return text_action(kind, make)
