"""/covenant, /covenant publish, /covenant status; signing and /pledge live beside it.

The feature is four modules (this one, sign, pledge and the shared view); register() here
wires them all, so handlers.FEATURES needs only this module.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.commands import Audience, Scope, command
from bot.outbox.sender import outbox_of, start_outbox
from bot.runtime import runtime_of
from bot.services.audit import Decision
from bot.services.covenant import callbacks
from bot.services.covenant import messages as notices
from bot.services.covenant.versions import (
    Publish,
    PublishResult,
    publish,
    refuse_publish,
    sync_all,
)
from bot.services.covenant.views import Preview, current_covenant, preview_publish
from bot.texts import Html
from handlers.common import caller_of, chair_only, is_group, is_private, member_only, reply
from handlers.context import BotContext
from handlers.covenant import pledge
from handlers.covenant import sign as covenant_sign
from handlers.covenant.view import (
    keyboard,
    replace_pressed,
    send,
    send_parts,
    show_covenant,
    status_parts,
    wake_if,
)
from handlers.decided import told

COMMANDS = [
    *pledge.COMMANDS,
    command("covenant", Audience.MEMBER, Scope.PRIVATE, Scope.GROUP),
    command("sign", Audience.MEMBER, Scope.PRIVATE),
]

_PUBLISH_ENDINGS = {
    Publish.ALL_SIGNED: "covenant-publish-all-signed",
    Publish.DONE_BEFORE: "covenant-publish-done-before",
    Publish.NO_COVENANT: "covenant-none",
    Publish.CHANGED: "covenant-publish-changed",
}


async def covenant_command(update: Update, context: BotContext) -> None:
    """/covenant [publish|status]: the text and the unit's state, or the chair's tools."""
    sub = context.args[0].lower() if context.args else ""
    if sub == "publish":
        await publish_preview(update, context)
    elif sub == "status" or (not sub and is_group(update.effective_chat)):
        await status_command(update, context)
    elif sub:
        await reply(update, context, "covenant-usage")
    else:
        await show_command(update, context)


@member_only
async def show_command(update: Update, context: BotContext) -> None:
    """The covenant with the caller's unit section and state."""
    caller = caller_of(context)
    if caller.block is None:
        await reply(update, context, "common-not-registered")
        return
    runtime = context.runtime
    view = await current_covenant(runtime.db, runtime.clock, runtime.texts, block=caller.block,
                                  unit=caller.unit)
    wake_if(context, view.queued)
    await show_covenant(update, context, view)


@chair_only
async def status_command(update: Update, context: BotContext) -> None:
    """Signed units with times, unsigned ones (chair; private or the group)."""
    block = caller_of(context).block
    assert block is not None  # chair rights imply a block
    runtime = context.runtime
    view = await current_covenant(runtime.db, runtime.clock, runtime.texts, block=block)
    wake_if(context, view.queued)
    await send_parts(update, context, status_parts(context, view.state))


@chair_only
async def publish_preview(update: Update, context: BotContext) -> None:
    """Show what would be published and to whom; publishing waits for a confirmation."""
    if not is_private(update):
        await reply(update, context, "covenant-publish-private")
        return
    caller = caller_of(context)
    block = caller.block
    assert block is not None
    preview = await preview_publish(context.runtime.db, block)
    if preview.outcome is Preview.NO_COVENANT:
        await reply(update, context, "covenant-none")
        return
    if preview.outcome is Preview.ALL_SIGNED:
        await reply(update, context, "covenant-publish-all-signed")
        return
    state, version = preview.state, preview.state.version
    assert preview.draft is not None
    if version is None:
        heading = context.t("covenant-preview-first", total=state.total)
    elif preview.outcome is Preview.RESEND:
        heading = context.t("covenant-preview-resend", number=version.number,
                            count=preview.unsigned)
    else:
        heading = context.t("covenant-preview-new", number=version.number + 1,
                            old=version.number, signed=state.signed)
    parts = notices.covenant_messages(
        context.runtime.texts, caller.language, heading=heading, content=preview.draft,
        pledge=None, footer=context.t("covenant-preview-question"),
    )
    await send_parts(update, context, parts, keyboard(
        (context.t("covenant-button-publish"),
         callbacks.publish_data(block.id, preview.confirm_key, preview.mark)),
        (context.t("covenant-button-cancel"), callbacks.PUBLISH_CANCEL),
    ))


async def publish_pressed(update: Update, context: BotContext) -> None:
    """Publish what the preview showed, if the presser has chair rights in that block now."""
    query = update.callback_query
    press = callbacks.parse_publish(query.data) if query else None
    if query is None or press is None:
        return
    await query.answer()
    caller = caller_of(context)
    runtime = context.runtime
    block_id = press.block_id
    if not caller.is_chair or caller.block is None or caller.block.id != block_id:
        await refuse_publish(runtime.db, runtime.clock, block_id=block_id,
                             tg_user_id=caller.tg_user_id)
        await send(update, context, context.t("common-chair-only"))
        return
    message = query.message
    round_key = f"p{message.chat.id}.{message.message_id}" if message else f"p{query.id}"
    # A preview of an earlier release carries no mark: it is checked as "nothing published".
    result = await publish(runtime.db, runtime.clock, runtime.texts, block_id=block_id,
                           actor_tg_id=caller.tg_user_id, expected=press.key,
                           round_key=round_key, mark=press.mark or 0)
    if result.outcome in (Publish.PUBLISHED, Publish.RESENT):
        outbox_of(context).wake()
        await replace_pressed(update, context, _summary(context, result))
    elif result.decision is not None:
        await replace_pressed(update, context, _overtaken(context, result.decision,
                                                          result.outcome))
    else:
        await replace_pressed(update, context, context.t(_PUBLISH_ENDINGS[result.outcome]))


def _overtaken(context: BotContext, decision: Decision, outcome: Publish) -> str:
    """Who published (or sent again) first, and when: a stale preview or a second press."""
    block = caller_of(context).block
    assert block is not None
    what = told(context.t, f"covenant-publish-by-{decision.what}", decision, block.tz,
                number=decision.detail or "")
    key = "covenant-publish-done-before-by" if outcome is Publish.DONE_BEFORE else (
        "covenant-publish-stale")
    return context.t(key, decision=what)


def _summary(context: BotContext, result: PublishResult) -> str:
    assert result.version is not None
    reach = result.reach
    superseded = result.change.superseded if result.change else 0
    key = "covenant-resent"
    if result.outcome is Publish.PUBLISHED:
        # "0 chữ ký … không còn hiệu lực" after a first publication would only puzzle.
        key = "covenant-published-superseded" if superseded else "covenant-published"
    lines = [context.t(key, number=result.version.number, units=reach.units,
                       people=reach.people, superseded=superseded)]
    if reach.no_member:
        names = Html("\n".join(context.t("covenant-unit-bullet", unit=u.name)
                               for u in reach.no_member))
        lines.append(context.t("covenant-published-no-member", units=names))
    if reach.unreachable:
        names = Html("\n".join(context.t("covenant-unit-bullet", unit=u.name)
                               for u in reach.unreachable))
        lines.append(context.t("covenant-published-unreachable", units=names))
    return "\n\n".join(lines)


async def publish_cancelled(update: Update, context: BotContext) -> None:
    """Cancel the publication preview."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await replace_pressed(update, context, context.t("covenant-publish-cancelled"))


async def on_startup(application: Application) -> None:
    """Apply covenant edits made while the bot was down, and make sure the outbox runs."""
    runtime = runtime_of(application)
    outbox = start_outbox(application)
    if await sync_all(runtime.db, runtime.clock, runtime.texts):
        outbox.wake()


def register(application: Application) -> None:
    application.add_handler(CommandHandler("covenant", covenant_command))
    application.add_handler(CallbackQueryHandler(publish_pressed, pattern=callbacks.PUBLISH))
    application.add_handler(CallbackQueryHandler(
        publish_cancelled, pattern=callbacks.exactly(callbacks.PUBLISH_CANCEL)))
    covenant_sign.register(application)
    pledge.register(application)
