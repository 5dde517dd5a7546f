"""/start: welcome, and registration of representatives through their invite link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, Scope, command
from bot.menus import publish_chair_menu
from bot.outbox.sender import outbox_of
from bot.services.registration.invites import Redeem, TelegramPerson, redeem
from handlers.common import caller_of, identify, reply
from handlers.context import BotContext

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


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start, filters=filters.ChatType.PRIVATE))
