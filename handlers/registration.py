"""/start: welcome, and registration of representatives through their invite link; the
chair's «🚫 Gỡ …» under a registration in its digest (bot.services.digest.removal)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.buttons import keyboard
from bot.commands import Audience, Scope, command
from bot.menus import publish_chair_menu
from bot.outbox.sender import outbox_of
from bot.services.digest.callbacks import PATTERN, parse_removal, removal_data
from bot.services.digest.removal import Removal, removal_step
from bot.services.registration.invites import Redeem, TelegramPerson, redeem
from handlers.common import answer_invalid_press, caller_of, identify, reply
from handlers.context import BotContext
from handlers.screens import send_screen

COMMANDS = [command("start", Audience.GUEST, Scope.PRIVATE)]

_REFUSALS = {
    Redeem.UNKNOWN: "start-invite-unknown",
    Redeem.EXPIRED: "start-invite-expired",
    Redeem.REVOKED: "start-invite-revoked",
    Redeem.USED_UP: "start-invite-used-up",
    Redeem.UNIT_REMOVED: "start-invite-unit-removed",
}


async def start(update: Update, context: BotContext) -> None:
    """Register the sender with an invite token, or greet them."""
    user = update.effective_user
    if user is None:
        return
    runtime = context.runtime
    if not context.args:
        caller = caller_of(context)
        if caller.registered and caller.unit and caller.block:
            await reply(
                update,
                context,
                "start-welcome-back",
                unit=caller.unit.name,
                block=caller.block.name,
            )
        else:
            await reply(update, context, "start-no-invite")
        return
    person = TelegramPerson(
        tg_user_id=user.id,
        full_name=user.full_name,
        username=user.username,
        language_code=user.language_code,
    )
    result = await redeem(runtime.db, runtime.clock, runtime.texts, context.args[0], person)
    if result.queued:
        # The chairs' notice committed with the registration: on its way before the
        # new representative even sees the welcome.
        outbox_of(context).wake()
    if result.outcome in (Redeem.REGISTERED, Redeem.ALREADY):
        # The caller changed: render the welcome in the block's language from now on.
        await identify(update, context)
        assert result.unit is not None and result.block is not None
        if caller_of(context).is_chair:
            await publish_chair_menu(context.bot, runtime.texts, runtime.commands, user.id)
        key = "start-registered" if result.outcome is Redeem.REGISTERED else "start-already"
        await reply(update, context, key, unit=result.unit.name, block=result.block.name)
        return
    if result.outcome is Redeem.OTHER_UNIT:
        assert result.other_unit is not None and result.unit is not None
        await reply(
            update,
            context,
            "start-invite-other-unit",
            current=result.other_unit.name,
            requested=result.unit.name,
        )
        return
    await reply(update, context, _REFUSALS[result.outcome])


_REMOVAL_ANSWERS = {
    Removal.REMOVED: "digest-removed",
    Removal.KEPT: "digest-kept",
    Removal.GONE: "digest-remove-gone",
    Removal.SELF: "digest-remove-self",
    Removal.REFUSED: "digest-remove-refused",
}


async def removal_pressed(update: Update, context: BotContext) -> None:
    """«🚫 Gỡ …» in the digest: confirm, then remove the representative (chair rights)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    press = parse_removal(query.data)
    if press is None:
        await answer_invalid_press(update, context)
        return
    runtime = context.runtime
    result = await removal_step(runtime.db, runtime.clock, runtime.texts, tg_user_id=user.id,
                                admin_ids=runtime.settings.bot_admin_ids, press=press)
    if result.queued:
        outbox_of(context).wake()
    if result.outcome is Removal.UNKNOWN:
        await answer_invalid_press(update, context)
        return
    params = {"name": result.name, "unit": result.unit}
    if result.outcome is Removal.ASK:
        await query.answer()
        item = press.item_id
        buttons = keyboard([[(context.t("digest-remove-confirm"), removal_data("confirm", item)),
                             (context.t("digest-remove-keep"), removal_data("keep", item))]])
        await send_screen(context.bot, user.id, context.t("digest-remove-ask", **params),
                          buttons)
        return
    text = context.t(_REMOVAL_ANSWERS[result.outcome], **params)
    await query.answer(text, show_alert=result.outcome in (Removal.SELF, Removal.REFUSED))
    if press.step != "ask" and result.outcome in (Removal.REMOVED, Removal.KEPT, Removal.GONE):
        await query.edit_message_text(text)  # the confirmation becomes its outcome


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(removal_pressed, pattern=PATTERN))
