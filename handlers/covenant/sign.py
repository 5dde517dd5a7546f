"""Signing: the "✍️ Ký giao ước" button, /sign, the confirmation and the receipt."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.formatting import format_datetime
from bot.outbox.sender import outbox_of
from bot.services.covenant.hash import short_hash
from bot.services.covenant.messages import pledge_chunk
from bot.services.covenant.signing import Sign, SignResult, prepare, sign
from handlers.common import caller_of, member_only
from handlers.context import BotContext
from handlers.covenant.view import (
    ensure_current,
    keyboard,
    replace_pressed,
    send,
    show_covenant,
    signed_by,
)

SIGN_PRESS = re.compile(r"^cov:s:(\d+):(\d+)$")
CONFIRM_PRESS = re.compile(r"^cov:c:(\d+):(\d+):([0-9a-f]{8})$")
CANCEL_DATA = "cov:n"

_REFUSALS = {
    Sign.NOT_PUBLISHED: "covenant-not-published",
    Sign.NOT_MEMBER: "covenant-sign-not-member",
    Sign.OTHER_UNIT: "covenant-sign-other-unit",
    Sign.UNIT_REMOVED: "covenant-sign-unit-removed",
}


@member_only
async def sign_command(update: Update, context: BotContext) -> None:
    """Open the signing confirmation for the caller's unit."""
    caller = caller_of(context)
    if caller.block is None:
        return
    await ensure_current(context, caller.block)
    runtime = context.runtime
    result = await prepare(runtime.db, runtime.clock, tg_user_id=caller.tg_user_id,
                           block_id=caller.block.id)
    await _answer(update, context, result)


async def sign_pressed(update: Update, context: BotContext) -> None:
    """The sign button under a delivered covenant: ask for confirmation."""
    query = update.callback_query
    match = SIGN_PRESS.match(query.data or "") if query else None
    if query is None or match is None:
        return
    await query.answer()
    runtime = context.runtime
    result = await prepare(runtime.db, runtime.clock, tg_user_id=query.from_user.id,
                           version_id=int(match[1]), unit_id=int(match[2]))
    await _answer(update, context, result)


async def _answer(update: Update, context: BotContext, result: SignResult) -> None:
    """Render what `prepare` found: a confirmation, or why there is nothing to confirm."""
    if result.outcome is Sign.READY:
        assert result.version and result.unit and result.pledge
        lang = caller_of(context).language
        text = "\n\n".join([
            context.t("covenant-confirm-intro", number=result.version.number),
            pledge_chunk(context.runtime.texts, lang, result.pledge),
            context.t("covenant-confirm", unit=result.unit.name, title=result.version.title),
        ])
        data = f"cov:c:{result.version.id}:{result.unit.id}:{result.confirm_key}"
        await send(update, context, text, keyboard(
            (context.t("covenant-button-confirm"), data),
            (context.t("covenant-button-cancel"), CANCEL_DATA),
        ))
    elif result.outcome is Sign.ALREADY:
        assert result.block and result.signature
        await send(update, context, signed_by(context, result.block, result.signature))
    elif result.outcome is Sign.STALE:
        await send(update, context, context.t("covenant-stale"))
        await show_covenant(update, context)
    else:
        await send(update, context, context.t(_REFUSALS.get(result.outcome,
                                                             "covenant-not-published")))


async def confirm_pressed(update: Update, context: BotContext) -> None:
    """Confirm: record the signature and turn the question into the receipt."""
    query = update.callback_query
    match = CONFIRM_PRESS.match(query.data or "") if query else None
    if query is None or match is None:
        return
    await query.answer()
    runtime = context.runtime
    result = await sign(
        runtime.db, runtime.clock, runtime.texts, version_id=int(match[1]),
        unit_id=int(match[2]), tg_user_id=query.from_user.id,
        signer_name=query.from_user.full_name, expected=match[3],
    )
    if result.outcome is Sign.SIGNED:
        outbox_of(context).wake()
        assert result.block and result.version and result.unit and result.signature
        await replace_pressed(update, context, context.t(
            "covenant-receipt", unit=result.unit.name, title=result.version.title,
            number=result.version.number,
            when=format_datetime(result.signature.signed_at, result.block.tz),
            hash=short_hash(result.signature.text_hash),
            signed=result.signed, total=result.total,
        ))
    elif result.outcome is Sign.ALREADY:
        # A new message, not an edit: a replayed press may sit on any message of the chat.
        assert result.block and result.signature
        await send(update, context, signed_by(context, result.block, result.signature))
    elif result.outcome is Sign.CHANGED:
        await replace_pressed(update, context, context.t("covenant-confirm-changed"))
        await _answer(update, context, replace(result, outcome=Sign.READY))
    elif result.outcome is Sign.STALE:
        await replace_pressed(update, context, context.t("covenant-stale"))
        await show_covenant(update, context)
    else:
        await _answer(update, context, result)


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """Cancel: nothing is signed; say how to come back."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await replace_pressed(update, context, context.t("covenant-sign-cancelled"))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("sign", sign_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(sign_pressed, pattern=SIGN_PRESS))
    application.add_handler(CallbackQueryHandler(confirm_pressed, pattern=CONFIRM_PRESS))
    application.add_handler(CallbackQueryHandler(cancel_pressed, pattern=f"^{CANCEL_DATA}$"))
