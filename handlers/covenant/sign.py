"""Signing: the "✍️ Ký giao ước" button, /sign, the confirmation and the receipt."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.buttons import Button, rows
from bot.formatting import format_datetime, format_number
from bot.services.covenant import callbacks
from bot.services.covenant.hash import short_hash
from bot.services.covenant.messages import pledge_chunk
from bot.services.covenant.pledge import PledgeGaps
from bot.services.covenant.signing import Sign, SignResult, prepare, prepare_current, sign
from bot.services.covenant.views import read_covenant
from handlers.common import caller_of, member_only
from handlers.context import BotContext
from handlers.covenant.view import (
    keyboard,
    replace_pressed,
    send,
    show_covenant,
    signed_by,
    wake_if,
)

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
    runtime = context.runtime
    result = await prepare_current(runtime.db, runtime.clock, runtime.texts,
                                   tg_user_id=caller.tg_user_id, block_id=caller.block.id)
    wake_if(context, result.queued)
    await _answer(update, context, result)


async def sign_pressed(update: Update, context: BotContext) -> None:
    """The sign button under a delivered covenant: ask for confirmation."""
    query = update.callback_query
    press = callbacks.parse_sign(query.data) if query else None
    if query is None or press is None:
        return
    await query.answer()
    runtime = context.runtime
    result = await prepare(runtime.db, runtime.clock, tg_user_id=query.from_user.id,
                           version_id=press.version_id, unit_id=press.unit_id)
    await _answer(update, context, result)


async def _answer(update: Update, context: BotContext, result: SignResult) -> None:
    """Render what `prepare` found: a confirmation, or why there is nothing to confirm."""
    if result.outcome is Sign.READY:
        assert result.version and result.unit and result.pledge
        lang = caller_of(context).language
        parts = [context.t("covenant-confirm-intro", number=result.version.number),
                 pledge_chunk(context.runtime.texts, lang, result.pledge)]
        data = callbacks.confirm_data(result.version.id, result.unit.id, result.confirm_key)
        cancel = (context.t("covenant-button-cancel"), callbacks.SIGN_CANCEL)
        if result.gaps is not None and result.gaps.any:
            # Signing locks the pledge: say what is missing and offer to register it first.
            parts += [gaps_text(context, result.gaps),
                      context.t("covenant-confirm", unit=result.unit.name,
                                title=result.version.title)]
            await send(update, context, "\n\n".join(parts), rows(
                [Button(context.t("covenant-button-pledge"), callbacks.PLEDGE_OPEN)],
                [Button(context.t("covenant-button-sign-anyway"), data), Button(*cancel)]))
            return
        parts.append(context.t("covenant-confirm", unit=result.unit.name,
                               title=result.version.title))
        await send(update, context, "\n\n".join(parts), keyboard(
            (context.t("covenant-button-confirm"), data), cancel))
    elif result.outcome is Sign.ALREADY:
        assert result.block and result.signature
        await send(update, context, signed_by(context, result.block, result.signature))
    elif result.outcome is Sign.STALE:
        await send(update, context, context.t("covenant-stale"))
        await _show_current(update, context)
    else:
        await send(update, context, context.t(_REFUSALS.get(result.outcome,
                                                             "covenant-not-published")))


def gaps_text(context: BotContext, gaps: PledgeGaps) -> str:
    """⚠️ what the unit has not registered: its slogan, the targets left at the default."""
    lang = caller_of(context).language
    lines = [context.t("covenant-gaps-heading")]
    if gaps.no_slogan:
        lines.append(context.t("covenant-gaps-slogan"))
    for line in gaps.default_targets:
        c = line.criterion
        if line.default is None:
            lines.append(context.t("covenant-gaps-target-none", title=c.title))
            continue
        value = format_number(line.default, lang) + ("%" if c.kind == "percent" else (
            f" {c.measure}" if c.measure else ""))
        lines.append(context.t("covenant-gaps-target", title=c.title, default=value))
    lines.append(context.t("covenant-gaps-hint"))
    return "\n".join(lines)


async def confirm_pressed(update: Update, context: BotContext) -> None:
    """Confirm: record the signature and turn the question into the receipt."""
    query = update.callback_query
    press = callbacks.parse_confirm(query.data) if query else None
    if query is None or press is None:
        return
    await query.answer()
    runtime = context.runtime
    result = await sign(
        runtime.db, runtime.clock, runtime.texts, version_id=press.version_id,
        unit_id=press.unit_id, tg_user_id=query.from_user.id,
        signer_name=query.from_user.full_name, expected=press.key,
    )
    wake_if(context, result.queued)
    if result.outcome is Sign.SIGNED:
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
        await _show_current(update, context)
    else:
        await _answer(update, context, result)


async def _show_current(update: Update, context: BotContext) -> None:
    """After a press on a replaced version: the covenant as it stands now."""
    caller = caller_of(context)
    if caller.block is None:
        return
    view = await read_covenant(context.runtime.db, caller.block, caller.unit)
    await show_covenant(update, context, view)


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """Cancel: nothing is signed; say how to come back."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await replace_pressed(update, context, context.t("covenant-sign-cancelled"))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("sign", sign_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(sign_pressed, pattern=callbacks.SIGN))
    application.add_handler(CallbackQueryHandler(confirm_pressed, pattern=callbacks.CONFIRM))
    application.add_handler(CallbackQueryHandler(
        cancel_pressed, pattern=callbacks.exactly(callbacks.SIGN_CANCEL)))
