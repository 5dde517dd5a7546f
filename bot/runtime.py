"""Shared services of a running bot, reachable from every handler as `context.runtime`.

Every field is named and typed: whoever depends on the outbox, the failure log or the
hooks run after a phase's review finds them here, not in a bag of strings. Nothing here
imports python-telegram-bot (the handlers' BotContext lives in handlers.context).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.commands import CommandSpec
from bot.config import Settings
from bot.outbox.model import Policy
from bot.services.clock import Clock
from bot.texts import Catalog
from bot.throttle import Throttle
from bot.unreadable import UnreadableUpdates
from storage.db import Database
from storage.records import Block, Phase

if TYPE_CHECKING:
    from bot.outbox.worker import Outbox
    from bot.wakeup import Wakeup

RUNTIME_KEY = "runtime"

# How many failed updates the error handler remembers (the demo and the load benchmark
# read them; a bot running for months must not keep every one).
FAILURES_KEPT = 200

# A notice's live counter in the group and the chair's progress message are edited at
# most this often (seconds): Telegram allows ~20 messages a minute into one group.
GROUP_EDIT_INTERVAL = 3.0
PROGRESS_EDIT_INTERVAL = 1.5

ReviewDoneHook = Callable[[Any, Block, Phase], Awaitable[None]]  # (application, block, phase)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    texts: Catalog
    commands: list[CommandSpec] = field(default_factory=list)
    # The outbox's retry policy (tests set a faster one before the application starts).
    outbox_policy: Policy = field(default_factory=Policy)
    # The outbox sender, made with the application's bot on first use (bot.outbox.outbox_of).
    outbox: Outbox | None = None
    # The scheduler's wake-up at the next due row, made on first use (bot.wakeup.wakeup_of).
    wakeup: Wakeup | None = None
    # Names of the exceptions the error handler saw, the latest FAILURES_KEPT.
    failed_updates: deque[str] = field(default_factory=lambda: deque(maxlen=FAILURES_KEPT))
    # (group counter, chair's progress message): the demo and tests move faster.
    notice_edit_intervals: tuple[float, float] = (GROUP_EDIT_INTERVAL, PROGRESS_EDIT_INTERVAL)
    notice_edits: Throttle = field(default_factory=Throttle)
    # Run after the chair finishes a phase's review (the ranking post registers itself).
    review_done: list[ReviewDoneHook] = field(default_factory=list)
    # Updates skipped because the library cannot read them (getUpdates and the webhook).
    unreadable_updates: UnreadableUpdates = field(default_factory=UnreadableUpdates)


def runtime_of(application: Any) -> Runtime:
    """The runtime build_application stored in the application's bot_data."""
    runtime: Runtime = application.bot_data[RUNTIME_KEY]
    return runtime
