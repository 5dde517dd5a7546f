"""/help, /status and /lang: what the caller can do and where their block stands."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.commands import Audience, Scope, command, visible
from bot.formatting import format_date, format_datetime
from bot.services.preferences import choose_block, set_language
from bot.services.status import block_status
from bot.texts import LANGUAGES
from handlers.common import caller_of, is_group, is_private, reply
from handlers.context import BotContext
from handlers.screens import answer_screen

COMMANDS = [
    command("help", Audience.GUEST, Scope.PRIVATE, Scope.GROUP),
    command("status", Audience.GUEST, Scope.PRIVATE, Scope.GROUP),
    command("lang", Audience.GUEST, Scope.PRIVATE),
    command("block", Audience.MEMBER, Scope.PRIVATE),
]


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands the caller may use here."""
    caller = caller_of(context)
    if is_group(update.effective_chat) and caller.block is None:
        # Only /bind works in a group no block is bound to (handlers.common.identify).
        await reply(update, context, "help-group-unbound")
        return
    scope = Scope.PRIVATE if is_private(update) else Scope.GROUP
    specs = visible(
        context.runtime.commands,
        scope=scope,
        is_member=caller.registered,
        is_chair=caller.is_chair,
    )
    lines = [f"/{s.name} – {context.t(s.text_key)}" for s in specs]
    role = (
        "help-role-chair"
        if caller.is_chair
        else ("help-role-member" if caller.registered else "help-role-guest")
    )
    intro = context.t(role, unit=caller.unit.name if caller.unit else "")
    text = intro + "\n\n" + "\n".join(lines)
    if not caller.registered and not caller.is_admin and scope is Scope.PRIVATE:
        text += "\n\n" + context.t("common-not-registered")
    await answer_screen(update, text)


async def status(update: Update, context: BotContext) -> None:
    """Show the caller's unit and block, the current phase and its deadlines."""
    caller = caller_of(context)
    block = caller.block
    if block is None or (is_private(update) and not caller.registered and not caller.is_admin):
        await reply(update, context, "common-not-registered")
        return
    runtime = context.runtime
    now = runtime.clock.now()
    st = await block_status(runtime.db, block, now)
    tz = block.tz
    parts = [
        context.t(
            "status-block",
            block=block.name,
            year=block.year,
            units=len(st.tree.units),
            registered=st.registered_units,
        )
    ]
    if is_private(update) and caller.unit is not None:
        role_key = f"role-{caller.unit.role}"
        parts.append(
            context.t(
                "status-unit",
                unit=caller.unit.name,
                code=caller.unit.code,
                role=context.t(role_key),
            )
        )
    if st.phase is not None:
        parts.append(
            context.t(
                "status-phase",
                phase=st.phase.name,
                start=format_date(st.phase.start),
                end=format_date(st.phase.end),
                due=format_datetime(st.phase.report_due, tz),
            )
        )
    elif st.upcoming is not None:
        parts.append(
            context.t(
                "status-next-phase", phase=st.upcoming.name, start=format_date(st.upcoming.start)
            )
        )
    else:
        parts.append(context.t("status-no-phase"))
    if block.group_chat_id is None and caller.is_chair:
        parts.append(context.t("status-group-unbound"))
    await answer_screen(update, "\n\n".join(parts))


async def lang(update: Update, context: BotContext) -> None:
    """Switch the caller's chat language: /lang vi or /lang en."""
    caller = caller_of(context)
    choice = context.args[0].lower() if context.args else ""
    if choice not in LANGUAGES:
        await reply(update, context, "lang-usage", current=caller.language)
        return
    runtime = context.runtime
    await set_language(runtime.db, caller.tg_user_id, choice)
    await update.effective_message.reply_text(  # type: ignore[union-attr]
        runtime.texts.text(choice, "lang-set")
    )


async def switch_block(update: Update, context: BotContext) -> None:
    """Choose the block private commands act on: /block CODE (for people in several)."""
    caller = caller_of(context)
    wanted = context.args[0] if context.args else ""
    choice = await choose_block(context.runtime.db, caller.tg_user_id, wanted,
                                is_admin=caller.is_admin)
    mine, chosen = choice.mine, choice.chosen
    if not mine:
        await reply(update, context, "common-not-registered")
        return
    if chosen is None:
        current = caller.block.code if caller.block else "-"
        await reply(update, context, "block-usage", current=current,
                    codes=", ".join(b.code for b in mine), example=mine[0].code)
        return
    await reply(update, context, "block-set", block=chosen.name, code=chosen.code)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("status", status))
    application.add_handler(CommandHandler("lang", lang))
    application.add_handler(
        CommandHandler("block", switch_block, filters=filters.ChatType.PRIVATE)
    )
