"""/pledge: the unit registers its slogan and targets (đăng ký chủ đề, chỉ tiêu)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.buttons import NO_BUTTONS, Button, Buttons, one, rows
from bot.commands import Audience, Scope, command
from bot.formatting import echo, format_number
from bot.services.covenant import callbacks
from bot.services.covenant.hash import PledgedTarget, target_text
from bot.services.covenant.pledge import (
    SLOGAN_MAX,
    Edit,
    EditResult,
    TargetLine,
    UnitPledge,
    begin_edit,
    open_pledge,
    set_slogan,
    set_target,
)
from handlers.common import (
    TEXT_GROUP_COVENANT,
    awaiting,
    caller_of,
    clear_input,
    expect_input,
    member_only,
    reply,
)
from handlers.context import BotContext
from handlers.covenant.view import replace_pressed, send
from storage.records import Criterion

COMMANDS = [command("pledge", Audience.MEMBER, Scope.PRIVATE)]

FEATURE = "pledge"
# Edit buttons per row under the pledge.
BUTTONS_PER_ROW = 3
# Shown when a unit types a target badly: a figure of the right kind to copy.
EXAMPLE_NUMBER = 200_000_000
EXAMPLE_PERCENT = "92,5"

_PROBLEMS = {
    Edit.LOCKED: "pledge-locked",
    Edit.NOT_MEMBER: "pledge-not-member",
    Edit.UNKNOWN_CRITERION: "pledge-unknown-criterion",
    Edit.EMPTY: "pledge-slogan-empty",
    Edit.TOO_LONG: "pledge-slogan-too-long",
}


def _value(context: BotContext, line: TargetLine, own: bool) -> str:
    value = line.own if own else line.default
    if value is None:
        return context.t("pledge-target-unset")
    c = line.criterion
    return target_text(PledgedTarget(c.code, c.title, c.kind, c.measure, value),
                       caller_of(context).language)


def render(context: BotContext, view: UnitPledge, locked: bool,
           sign_version: int | None = None) -> tuple[str, Buttons]:
    """The unit's slogan and each target (block default, the unit's own), with edit buttons
    and, while a published covenant waits for the unit's signature, «✍️ Ký giao ước»."""
    lines = [context.t("pledge-heading", unit=view.unit.name)]
    lines.append(context.t("pledge-slogan", slogan=view.slogan) if view.slogan
                 else context.t("pledge-no-slogan"))
    for n, line in enumerate(view.lines, start=1):
        lines.append(context.t("pledge-target-line", n=n, title=line.criterion.title,
                               default=_value(context, line, own=False),
                               own=_value(context, line, own=True)))
    if not view.lines:
        lines.append(context.t("pledge-no-targets"))
    if locked:
        lines.append(context.t("pledge-locked"))
        return "\n\n".join(lines), NO_BUTTONS
    lines.append(context.t("pledge-how"))
    unit_id = view.unit.id
    buttons = [Button(context.t("pledge-button-slogan"), callbacks.slogan_data(unit_id))]
    buttons += [
        Button(context.t("pledge-button-target", n=n),
               callbacks.target_data(unit_id, line.criterion.id))
        for n, line in enumerate(view.lines, start=1)
    ]
    sign = ([Button(context.t("covenant-button-sign"),
                    callbacks.sign_data(sign_version, unit_id))] if sign_version else [])
    return "\n\n".join(lines), rows(*(buttons[i:i + BUTTONS_PER_ROW]
                                      for i in range(0, len(buttons), BUTTONS_PER_ROW)), sign)


@member_only
async def pledge_command(update: Update, context: BotContext) -> None:
    """Show the unit's slogan and targets with buttons to change them."""
    caller = caller_of(context)
    if caller.block is None or caller.unit is None:
        await reply(update, context, "pledge-not-member")
        return
    clear_input(context)
    screen = await open_pledge(context.runtime.db, caller.block.id, caller.unit.id)
    text, buttons = render(context, screen.pledge, screen.locked, screen.sign_version)
    await send(update, context, text, buttons)


async def open_pressed(update: Update, context: BotContext) -> None:
    """«📝 Đăng ký chủ đề, chỉ tiêu» on the signing confirmation: the /pledge screen."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await pledge_command(update, context)


async def edit_pressed(update: Update, context: BotContext) -> None:
    """A slogan or target button: check the presser's rights now, then ask for the value."""
    query = update.callback_query
    press = callbacks.parse_pledge_edit(query.data) if query else None
    if query is None or press is None:
        return
    await query.answer()
    caller = caller_of(context)
    runtime = context.runtime
    unit_id, criterion_id = press.unit_id, press.criterion_id
    if caller.block is None or (press.target and criterion_id is None):
        await send(update, context, context.t("pledge-not-member"))
        return
    result = await begin_edit(runtime.db, runtime.clock, block_id=caller.block.id,
                              tg_user_id=caller.tg_user_id, unit_id=unit_id,
                              criterion_id=criterion_id)
    if result.outcome is not Edit.READY:
        await send(update, context, context.t(_PROBLEMS[result.outcome], max=SLOGAN_MAX))
        return
    expect_input(context, FEATURE, block_id=caller.block.id, unit_id=unit_id,
                 criterion_id=criterion_id)
    cancel = one(context.t("covenant-button-cancel"), callbacks.PLEDGE_CANCEL)
    if result.criterion is None:
        await send(update, context, context.t("pledge-ask-slogan", max=SLOGAN_MAX), cancel)
    else:
        await send(update, context, _ask_target(context, result.criterion), cancel)


def _example(context: BotContext, criterion: Criterion) -> str:
    lang = caller_of(context).language
    if criterion.kind == "percent":
        return EXAMPLE_PERCENT if lang == "vi" else EXAMPLE_PERCENT.replace(",", ".")
    return format_number(criterion.target or EXAMPLE_NUMBER, lang)


def _ask_target(context: BotContext, criterion: Criterion) -> str:
    key = "pledge-ask-percent" if criterion.kind == "percent" else "pledge-ask-number"
    return context.t(key, title=criterion.title, measure=criterion.measure or "",
                     example=_example(context, criterion))


async def text_entered(update: Update, context: BotContext) -> None:
    """The slogan or target typed after a button: save it, or explain what is wrong."""
    state = awaiting(context, FEATURE)
    message = update.effective_message
    if state is None or message is None or not message.text:
        return
    caller = caller_of(context)
    runtime = context.runtime
    common = {"block_id": state["block_id"], "unit_id": state["unit_id"],
              "tg_user_id": caller.tg_user_id}
    if state.get("criterion_id") is None:
        result = await set_slogan(runtime.db, runtime.clock, text=message.text, **common)
    else:
        result = await set_target(runtime.db, runtime.clock, criterion_id=state["criterion_id"],
                                  raw=message.text, lang=caller.language, **common)
    await _after_edit(update, context, result, message.text)


async def _after_edit(update: Update, context: BotContext, result: EditResult, typed: str
                      ) -> None:
    if result.outcome is Edit.SAVED:
        clear_input(context)
        assert result.pledge is not None
        text, buttons = render(context, result.pledge, False, result.sign_version)
        await send(update, context, context.t("pledge-saved") + "\n\n" + text, buttons)
        return
    if result.outcome in (Edit.BAD_NUMBER, Edit.OUT_OF_RANGE):
        assert result.criterion is not None  # still waiting: the next message is a new try
        key = "pledge-bad-number" if result.outcome is Edit.BAD_NUMBER else "pledge-out-of-range"
        text = context.t(key, value=echo(typed, 50), title=result.criterion.title,
                         example=_example(context, result.criterion))
        if result.suggestion:
            text += "\n" + context.t("pledge-did-you-mean", suggestion=echo(result.suggestion))
        await send(update, context, text)
        return
    if result.outcome in (Edit.LOCKED, Edit.NOT_MEMBER, Edit.UNKNOWN_CRITERION):
        clear_input(context)
    await send(update, context, context.t(_PROBLEMS[result.outcome], max=SLOGAN_MAX))


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """Stop waiting for a value; nothing changes."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    clear_input(context)
    await replace_pressed(update, context, context.t("pledge-cancelled"))


def register(application: Application) -> None:
    application.add_handler(
        CommandHandler("pledge", pledge_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CallbackQueryHandler(edit_pressed, pattern=callbacks.PLEDGE_EDIT))
    application.add_handler(CallbackQueryHandler(
        cancel_pressed, pattern=callbacks.exactly(callbacks.PLEDGE_CANCEL)))
    application.add_handler(CallbackQueryHandler(
        open_pressed, pattern=callbacks.exactly(callbacks.PLEDGE_OPEN)))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, text_entered),
        group=TEXT_GROUP_COVENANT,
    )
