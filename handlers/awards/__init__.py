"""/binhxet (alias /awards): the year-end award vote (bình xét, suy tôn) by secret ballot.

    /binhxet                  the chair: prepare, open, follow and close the vote;
                              a representative: the unit's ballot of the vote now open
    /binhxet verify CODE      was this ballot counted, and how (anyone registered)
    /binhxet bienban          the minutes of the count (.docx, the chair)
    /binhxet totrinh          the draft proposal to the province (.docx, the chair)

The feature is five modules (this one, chair, ballot, views, screen); register() wires them
all.
The clock's part (reminders, closing at the closing time) is one of the wake-up's works.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.commands import Audience, Scope, command
from bot.outbox import Delivery
from bot.outbox.sender import outbox_of
from bot.runtime import runtime_of
from bot.services.awards import callbacks as cb
from bot.services.awards.notices import BATCH
from bot.services.awards.schedule import next_due, send_due
from bot.services.awards.sync import counter_after_delivery
from bot.services.awards.tokens import shown
from bot.services.awards.verify import Verified, verify
from bot.services.ranking.posts import charts_folder
from bot.texts import Html
from bot.wakeup import Work, wakeup_of
from handlers.awards import ballot, chair
from handlers.awards.screen import answer_press, show
from handlers.common import (
    awaiting,
    caller_of,
    clear_input,
    is_private,
    reply,
)
from handlers.context import BotContext

COMMANDS = [command("binhxet", Audience.MEMBER, Scope.PRIVATE, Scope.GROUP)]

# After handlers.common's 1-3 and the activities' 4: every feature waiting for typed
# input has a handler group of its own.
TEXT_GROUP_AWARDS = 5
WORK = "awards"  # among the wake-up's works
VERIFY_WORDS = ("verify", "kiemtra", "kiểmtra")
MINUTES_WORDS = ("bienban", "biênbản", "minutes")
PROPOSAL_WORDS = ("totrinh", "tờtrình", "proposal")


async def binhxet(update: Update, context: BotContext) -> None:
    """/binhxet [verify CODE | bienban | totrinh]."""
    caller = caller_of(context)
    if not is_private(update):
        await reply(update, context, "awards-private-only")
        return
    if caller.block is None or not (caller.registered or caller.is_admin):
        await reply(update, context, "common-not-registered")
        return
    args = context.args or []
    sub = args[0].lower() if args else ""
    if sub in VERIFY_WORDS:
        await verify_command(update, context, " ".join(args[1:]))
    elif sub in MINUTES_WORDS + PROPOSAL_WORDS:
        if not caller.is_chair:
            await reply(update, context, "common-chair-only")
            return
        await chair.document_command(update, context, "m" if sub in MINUTES_WORDS else "p")
    elif sub:
        await reply(update, context, "awards-usage")
    elif caller.is_chair:
        await chair.chair_command(update, context)
    else:
        await ballot.vote_command(update, context)


async def verify_command(update: Update, context: BotContext, typed: str) -> None:
    """Tell whether the ballot with this tracker was counted, with its choices. Nothing of
    the question is logged or recorded."""
    caller = caller_of(context)
    assert caller.block is not None
    if not typed.strip():
        await reply(update, context, "awards-verify-usage")
        return
    found = await verify(context.runtime.db, caller.block, typed)
    if found.outcome is Verified.COUNTED:
        assert found.ballot is not None
        lines = "\n".join(context.t("awards-verify-award", award=name,
                                    units=", ".join(units) or context.t("awards-summary-blank"))
                          for name, units in found.chosen)
        await reply(update, context, "awards-verify-counted", tracker=shown(found.ballot.tracker),
                    lines=Html(lines))
    else:
        await reply(update, context, {Verified.PENDING: "awards-verify-pending",
                                      Verified.NOT_FOUND: "awards-verify-not-found",
                                      Verified.UNREADABLE: "awards-verify-unreadable"}
                    [found.outcome])


async def on_text(update: Update, context: BotContext) -> None:
    """A typed answer the chair was asked for (a reason, a closing time)."""
    state = awaiting(context, chair.FEATURE)
    if state is None:
        return
    await chair.typed(update, context, state)
    raise ApplicationHandlerStop


async def cancel_input(update: Update, context: BotContext) -> None:
    """«Hủy» under a question: stop waiting."""
    clear_input(context)
    await answer_press(update, context)
    await show(update, context, context.t("awards-input-cancelled"), edit=True)


async def stray_press(update: Update, context: BotContext) -> None:
    """Any other "aw:" press (a truncated or forged one): answered here, not logged by the
    catch-all, whose log line would carry the button's data."""
    await answer_press(update, context, "common-button-invalid", alert=True)


# -- the clock and the outbox ---------------------------------------------------------------

async def _send_due(application: Any) -> int:
    runtime = runtime_of(application)
    done = await send_due(runtime.db, runtime.clock, runtime.texts,
                          charts_folder(runtime.settings.evidence_dir))
    if done:
        outbox_of(application).wake()
    return done


async def run_due(application: Any) -> int:
    """Send due reminders and close due votes now, then re-arm (the demo, tests)."""
    done = await _send_due(application)
    await wakeup_of(application).rearm()
    return done


async def on_delivery(application: Any, delivery: Delivery) -> None:
    """The group's counter post is out: bring it up to date (votes cast meanwhile)."""
    runtime = runtime_of(application)
    if await counter_after_delivery(runtime.db, runtime.clock, runtime.texts, delivery.batch,
                                    delivery.dedupe_key):
        outbox_of(application).wake()


async def on_startup(application: Application) -> None:
    runtime = runtime_of(application)
    outbox_of(application).subscribe(BATCH, on_delivery)
    await wakeup_of(application).add(Work(WORK, send_due=partial(_send_due, application),
                                          next_due=partial(next_due, runtime.db)))


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["binhxet", "awards"], binhxet))
    application.add_handler(CallbackQueryHandler(ballot.open_pressed, pattern=cb.OPEN_BALLOT))
    application.add_handler(CallbackQueryHandler(ballot.ballot_pressed, pattern=cb.BALLOT))
    application.add_handler(CallbackQueryHandler(chair.chair_pressed, pattern=cb.CHAIR_PRESS))
    application.add_handler(CallbackQueryHandler(
        cancel_input, pattern=f"^{cb.CANCEL_INPUT}$"))
    application.add_handler(CallbackQueryHandler(stray_press, pattern=cb.ANY))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
        group=TEXT_GROUP_AWARDS)
