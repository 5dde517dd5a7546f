"""Cross-cutting pieces every feature handler uses: who is calling, replies, rights checks."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Chat, Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.access import Caller, resolve_caller
from bot.services.activities.callbacks import GROUP_PREFIX as ACTIVITY_GROUP_PREFIX
from bot.services.announce.callbacks import ACK_PREFIX
from bot.services.audit import record_refusal
from handlers.context import BotContext
from handlers.screens import answer_screen

log = logging.getLogger(__name__)

# Coroutine, not Awaitable: PTB's handler classes are typed for coroutine functions.
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

# Handler groups for free-text messages: each feature that waits for typed input gets its
# own group, so every one of them sees the message and only the one awaiting it acts.
TEXT_GROUP_COVENANT = 1
TEXT_GROUP_REPORT = 2
TEXT_GROUP_ANNOUNCE = 3

# identify runs before every other handler group (the announcements' reachability check at
# -2 reads context.caller too), so each feature may rely on context.caller.
IDENTIFY_GROUP = -3

# The only buttons that live on messages in a group: everything else (forms, reviews, lists,
# signing) belongs to a private chat, and a press forged onto a group message is refused
# before any feature sees it, so private screens never end up in front of the whole block.
GROUP_BUTTON_PREFIXES = (ACK_PREFIX, ACTIVITY_GROUP_PREFIX)

# Commands that must reach their handler in a group that is not bound to a block yet.
UNBOUND_GROUP_COMMANDS = ("/bind", "/help")


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _command_of(message: Message | None) -> str | None:
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    return message.text.split()[0].split("@")[0].lower()


async def identify(update: Update, context: BotContext) -> None:
    """Resolve the caller from the database before any feature handler runs."""
    user = update.effective_user
    chat = update.effective_chat
    runtime = context.runtime
    if user is None:
        if chat is None or chat.type == ChatType.PRIVATE:
            # No one to serve: an update the library could not read (bot.incoming leaves
            # its bare id), a poll, or a private message without `from`.
            raise ApplicationHandlerStop
        return
    group_id = chat.id if chat is not None and is_group(chat) else None
    context.caller = await resolve_caller(
        runtime.db,
        tg_user_id=user.id,
        admin_ids=runtime.settings.bot_admin_ids,
        default_language=runtime.settings.bot_language,
        group_chat_id=group_id,
    )
    query = update.callback_query
    if group_id is not None and context.caller.block is None:
        if query is not None:
            # A button left in a group that no longer serves a block (it moved with /bind):
            # answered, so it does not spin, and nothing else happens.
            await answer_invalid_press(update, context)
            raise ApplicationHandlerStop
        message = update.effective_message
        migrating = message is not None and (
            message.migrate_to_chat_id or message.migrate_from_chat_id
        )
        if not migrating and _command_of(message) not in UNBOUND_GROUP_COMMANDS:
            # Unbound groups are none of the bot's business: stay silent.
            raise ApplicationHandlerStop
    if (
        group_id is not None
        and query is not None
        and not (query.data or "").startswith(GROUP_BUTTON_PREFIXES)
    ):
        await _refuse_group_press(update, context)
        raise ApplicationHandlerStop


async def answer_invalid_press(update: Update, context: BotContext) -> None:
    """Answer a press that stands for nothing the bot can do (common-button-invalid): the
    spinner stops and the person is told to type /help. Nothing is changed or recorded."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.t("common-button-invalid"), show_alert=True)


async def unknown_press(update: Update, context: BotContext) -> None:
    """Answer a press no feature claims: a button of an earlier version after an upgrade,
    a truncated or forged payload, ids that no format of ours can carry."""
    query = update.callback_query
    if query is None:
        return
    # Telegram sends at most 64 bytes of callback data; clipped anyway, should a forged
    # update carry more.
    log.info("press no handler claims: %r", (query.data or "")[:CALLBACK_DATA_MAX_BYTES])
    await answer_invalid_press(update, context)


async def _refuse_group_press(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await audit_press(update, context, "button.refused-in-group", subject_max=64)
    await query.answer(context.t("common-button-private"), show_alert=True)


async def audit_press(
    update: Update, context: BotContext, action: str, *, subject_max: int
) -> None:
    """Record a refused press: who pressed, in which block and unit, and the button data
    (its first `subject_max` characters)."""
    query = update.callback_query
    runtime = context.runtime
    await record_refusal(runtime.db, runtime.clock, caller_of(context), action,
                         (query.data or "")[:subject_max] if query else None)


async def together(*calls: Awaitable[Any]) -> None:
    """Await Bot API calls (or other awaitables) at the same time: the bot handles one update
    at a time, so each wait for Telegram one after the other is time no one is served.
    Every call finishes before the first error, if any, is raised."""
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


def caller_of(context: BotContext) -> Caller:
    if context.caller is None:  # identify() runs first for every update with a user
        raise RuntimeError("caller not resolved")
    return context.caller


async def reply(update: Update, context: BotContext, key: str, /, **params: Any) -> None:
    """Answer the update with a catalog text in the caller's language."""
    await answer_screen(update, context.t(key, **params))


def member_only(callback: Callback) -> Callback:
    """Let only registered representatives through; tell others how to register."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        caller = caller_of(context)
        if not caller.registered and not caller.is_admin:
            await reply(update, context, "common-not-registered")
            return
        await callback(update, context)

    return wrapper


def chair_only(callback: Callback) -> Callback:
    """Let only callers with chair rights in the current block through."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        caller = caller_of(context)
        if not caller.is_chair:
            key = "common-not-registered" if not caller.registered else "common-chair-only"
            await reply(update, context, key)
            return
        await callback(update, context)

    return wrapper


# A private chat waits for at most one typed answer at a time (a slogan, a report value,
# a notice's text). The feature that asked owns it; other features' text handlers, each in
# its own handler group, see it is not theirs and pass. Kept in user_data: after a restart
# the user simply presses the button again.
_AWAITING_KEY = "awaiting"


def expect_input(context: BotContext, feature: str, **data: Any) -> None:
    context.user_data[_AWAITING_KEY] = {"feature": feature, **data}  # type: ignore[index]


def awaiting(context: BotContext, feature: str) -> dict[str, Any] | None:
    state = (context.user_data or {}).get(_AWAITING_KEY)
    if isinstance(state, dict) and state.get("feature") == feature:
        return state
    return None


def clear_input(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(_AWAITING_KEY, None)


def awaiting_feature(context: BotContext) -> str | None:
    """The feature waiting for this user's typed input, if any (so a feature that also
    reads unprompted messages leaves alone what another one asked for)."""
    state = (context.user_data or {}).get(_AWAITING_KEY)
    return state.get("feature") if isinstance(state, dict) else None
