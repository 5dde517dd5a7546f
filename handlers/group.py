"""The block's group: /bind (moving the block from another group tells that group and
the other chairs), following the group when it becomes a supergroup, and pinning the
phase's progress message (bot.services.progress) once the outbox has delivered it."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.commands import Audience, Scope, command
from bot.outbox import Delivery
from bot.outbox.sender import outbox_of
from bot.runtime import runtime_of
from bot.services.progress.posts import (
    BATCH_PREFIX,
    POST_SUFFIX,
    pin_done,
    pins_to_make,
    post_delivered,
)
from bot.services.registration.group import Bind, bind_group, follow_migration
from handlers.common import reply
from handlers.context import BotContext

log = logging.getLogger(__name__)

COMMANDS = [command("bind", Audience.CHAIR, Scope.GROUP)]


async def bind(update: Update, context: BotContext) -> None:
    """Make this group the block's group, if the sender has chair rights."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    runtime = context.runtime
    result = await bind_group(
        runtime.db,
        runtime.clock,
        runtime.texts,
        tg_user_id=user.id,
        actor_name=user.full_name,
        admin_ids=runtime.settings.bot_admin_ids,
        chat_id=chat.id,
        chat_title=chat.title,
        block_code=context.args[0] if context.args else None,
    )
    if result.outcome is Bind.REFUSED:
        await reply(update, context, "bind-refused")
    elif result.outcome is Bind.TAKEN:
        assert result.block is not None
        await reply(update, context, "bind-taken", block=result.block.name)
    elif result.outcome in (Bind.CHOOSE, Bind.UNKNOWN_BLOCK):
        codes = ", ".join(b.code for b in result.choices)
        example = result.choices[0].code if result.choices else ""
        await reply(update, context, "bind-choose", codes=codes, example=example)
    else:
        assert result.block is not None
        if result.queued:  # the old group and the other chairs learn of the move
            outbox_of(context).wake()
        key = "bind-done" if result.outcome is Bind.BOUND else "bind-already"
        lang = result.block.language
        await chat.send_message(context.runtime.texts.text(lang, key, block=result.block.name))


async def migrated(update: Update, context: BotContext) -> None:
    """Move the block's binding to the new supergroup id."""
    message = update.effective_message
    if message is None:
        return
    # Telegram posts one service message in each chat; either one is enough to follow.
    if message.migrate_to_chat_id is not None:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    runtime = context.runtime
    await follow_migration(runtime.db, runtime.clock, old, new)


async def make_pins(application: Any) -> None:
    """Pin the current progress messages and unpin those taken over (PTB's pinChatMessage
    and unpinChatMessage; a bot without the right to pin is logged, not retried)."""
    runtime = runtime_of(application)
    for pin in await pins_to_make(runtime.db):
        try:
            if pin.pin:
                await application.bot.pin_chat_message(pin.chat_id, pin.message_id,
                                                       disable_notification=True)
            else:
                await application.bot.unpin_chat_message(pin.chat_id, pin.message_id)
        except TelegramError as exc:
            log.info("progress message %s in chat %s not %s: %s", pin.message_id, pin.chat_id,
                     "pinned" if pin.pin else "unpinned", exc)
        await pin_done(runtime.db, pin)


async def on_progress_delivery(application: Any, delivery: Delivery) -> None:
    """Outbox hook for "progress:*": edit in what changed meanwhile, then pin."""
    if application is None:
        return
    runtime = runtime_of(application)
    if await post_delivered(runtime.db, runtime.clock, delivery):
        outbox_of(application).wake()
    if delivery.dedupe_key.endswith(POST_SUFFIX):
        await make_pins(application)


async def on_startup(application: Application) -> None:
    """Hear of progress messages as they are delivered; make the pins a restart missed."""
    outbox_of(application).subscribe(BATCH_PREFIX, on_progress_delivery)
    await make_pins(application)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("bind", bind, filters=filters.ChatType.GROUPS))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
