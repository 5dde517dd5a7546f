"""Chair announcements: /announce, /announcements, the "✅ Đã nhận" button; and the start of
the outbox worker that every feature sends through.

The feature is four modules (this one, compose with its draft view, listing, live);
register() here wires them all, so handlers.FEATURES needs only this module. The presses'
patterns come from bot.services.announce.callbacks, where the buttons' data is made.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.commands import Audience, Scope, command
from bot.outbox.reach import reachable_again
from bot.outbox.sender import outbox_of, start_outbox
from bot.runtime import runtime_of
from bot.services.announce import callbacks
from bot.services.announce.nudges import handle_due_deadlines, next_deadline
from bot.wakeup import Work, wakeup_of
from handlers.announce import compose as announce_compose
from handlers.announce import listing as announce_list
from handlers.announce import live as announce_live
from handlers.common import TEXT_GROUP_ANNOUNCE, reply
from handlers.context import BotContext

COMMANDS = [
    command("announce", Audience.CHAIR, Scope.PRIVATE),
    command("announcements", Audience.CHAIR, Scope.PRIVATE),
]

# Right after identify (handlers.common.IDENTIFY_GROUP): only writes when a 403 mark is
# to be cleared, and reads nothing when identify saw no mark.
REACH_GROUP = -2
# Confirmation deadlines are one of the wake-up's works (bot.wakeup): the bot wakes at the
# earliest one the database holds, so a restart loses nothing.
DEADLINE_WORK = "announce-deadlines"


async def private_only(update: Update, context: BotContext) -> None:
    """The chair's commands work in the private chat with the bot."""
    await reply(update, context, "announce-private-only")


async def note_reachable(update: Update, context: BotContext) -> None:
    """Someone who writes to the bot in private can be reached again after a 403."""
    user, chat = update.effective_user, update.effective_chat
    if context.caller is not None and not context.caller.unreachable:
        return  # identify read the user's memberships: no mark to clear (the usual case)
    if user is not None and chat is not None and chat.type == ChatType.PRIVATE:
        await reachable_again(context.runtime.db, user.id)


async def check_deadlines(application: Any) -> None:
    """Wake-up: units past a notice's confirmation deadline get one reminder, the author a
    list."""
    runtime = runtime_of(application)
    if await handle_due_deadlines(runtime.db, runtime.clock, runtime.texts):
        outbox_of(application).wake()


async def on_startup(application: Application) -> None:
    """Start the outbox (resuming sends a crash interrupted) and the deadline checks."""
    outbox = start_outbox(application)
    outbox.subscribe("announce:", announce_live.on_delivery)
    await wakeup_of(application).add(Work(
        DEADLINE_WORK, send_due=partial(check_deadlines, application),
        next_due=partial(next_deadline, runtime_of(application).db)))


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, note_reachable), group=REACH_GROUP)
    application.add_handler(CommandHandler("announce", announce_compose.announce_command,
                                           filters=private))
    application.add_handler(CommandHandler("announcements",
                                           announce_list.announcements_command, filters=private))
    application.add_handler(CommandHandler(["announce", "announcements"], private_only,
                                           filters=filters.ChatType.GROUPS))
    application.add_handler(CallbackQueryHandler(announce_live.on_ack,
                                                 pattern=callbacks.ACK_PATTERN))
    application.add_handler(CallbackQueryHandler(announce_compose.on_panel,
                                                 pattern=callbacks.PANEL_PATTERN))
    application.add_handler(CallbackQueryHandler(announce_compose.on_preview_press,
                                                 pattern=callbacks.PREVIEW_PATTERN))
    application.add_handler(CallbackQueryHandler(announce_list.on_detail,
                                                 pattern=callbacks.DETAIL_PATTERN))
    # Its own handler group: the chair's next private message after /announce is the notice.
    application.add_handler(
        MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.COMMAND,
                       announce_compose.on_content),
        group=TEXT_GROUP_ANNOUNCE,
    )
