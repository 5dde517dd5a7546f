"""/announce: the chair writes a notice, picks the audience, previews it and sends it.

The draft lives in the chair's user_data (lost on restart: the chair simply starts again);
every button carries the draft's nonce, so a press on an old panel cannot change or send a
newer draft, and the draft is taken out before sending, so a double tap sends once.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.buttons import one
from bot.entities import to_html
from bot.formatting import clip
from bot.markup import inline_markup
from bot.outbox import Outgoing
from bot.outbox.sender import outbox_of, send_now
from bot.services.announce import callbacks, compose
from bot.services.announce.callbacks import Action
from bot.services.announce.notices import Content
from bot.wakeup import wakeup_of
from handlers.announce.draft import DRAFT_KEY, Wizard, render_panel, wizard_of
from handlers.common import awaiting, caller_of, chair_only, clear_input, expect_input, reply
from handlers.context import BotContext
from handlers.decided import told
from handlers.screens import unchanged

FEATURE = "announce"
# Telegram shows at most 200 characters in a press's answer (answerCallbackQuery text).
ALERT_LIMIT = 200


@chair_only
async def announce_command(update: Update, context: BotContext) -> None:
    """Start a notice: ask for the content, or take it from `/announce <text>`."""
    message = update.effective_message
    if message is None:
        return
    body = _text_after_command(message)
    if body:
        await _start_draft(update, context, Content("text", body))
        return
    nonce = secrets.token_hex(3)
    context.user_data[DRAFT_KEY] = Wizard(nonce)  # type: ignore[index]
    expect_input(context, FEATURE, nonce=nonce)
    cancel = one(context.t("announce-btn-cancel"), callbacks.panel(nonce, Action.CANCEL))
    await message.reply_text(context.t("announce-ask-content"),
                             reply_markup=inline_markup(cancel))


def _text_after_command(message: Message) -> str:
    """The HTML of `/announce <text>` without the command (entities kept)."""
    if not message.text or len(message.text.split(maxsplit=1)) < 2:
        return ""
    markup = to_html(message.text, message.entities)
    command = message.text.split(maxsplit=1)[0]
    return markup[len(command):].strip() if markup.startswith(command) else ""


def _caption(message: Message) -> str | None:
    """The caption's HTML (bot.entities: attribute values escaped, which PTB's caption_html
    does not do), None without a caption."""
    return to_html(message.caption, message.caption_entities) or None


async def on_content(update: Update, context: BotContext) -> None:
    """Take the chair's next private message as the notice's content."""
    state = awaiting(context, FEATURE)
    message = update.effective_message
    if state is None or message is None:
        return
    if not caller_of(context).is_chair:
        clear_input(context)
        return
    if message.photo:
        content = Content("photo", _caption(message), message.photo[-1].file_id)
    elif message.document:
        content = Content("document", _caption(message), message.document.file_id,
                          message.document.file_name)
    elif message.text:
        content = Content("text", to_html(message.text, message.entities))
    else:
        await reply(update, context, "announce-content-unsupported")
        raise ApplicationHandlerStop
    await _start_draft(update, context, content)
    raise ApplicationHandlerStop


async def _start_draft(update: Update, context: BotContext, content: Content) -> None:
    clear_input(context)
    runtime, caller = context.runtime, caller_of(context)
    assert caller.block is not None
    chat_id = update.effective_chat.id if update.effective_chat else caller.tg_user_id
    opening = await compose.begin(runtime.db, runtime.clock, runtime.texts, caller, content,
                                  chat_id)
    wizard = Wizard(secrets.token_hex(3), opening.options)
    context.user_data[DRAFT_KEY] = wizard  # type: ignore[index]
    sent = await send_now(context.bot, opening.preview)
    # Only a one-message preview follows later changes of the options (see _refresh_preview).
    wizard.preview = (sent[-1].message_id, content.kind, len(sent))
    if not opening.panel.has_group:
        await context.bot.send_message(chat_id, context.t("announce-no-group"))
    text, buttons = render_panel(context, wizard.nonce, opening.panel)
    await context.bot.send_message(chat_id, text, reply_markup=inline_markup(buttons))


async def on_preview_press(update: Update, context: BotContext) -> None:
    """The button on the preview does nothing but explain itself."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.t("announce-preview-press"))


async def on_panel(update: Update, context: BotContext) -> None:
    """Change the draft's audience and options, or send / cancel it."""
    query = update.callback_query
    press = callbacks.parse_panel(query.data) if query else None
    if query is None or press is None:
        return
    caller = caller_of(context)
    wizard = wizard_of(context, press.nonce)
    options = wizard.options if wizard else None
    if not caller.is_chair or wizard is None or (
        options is not None and caller.block is not None and options.block_id != caller.block.id
    ):
        # A second press of «Gửi» (a double tap, another screen): say who sent it, and when.
        earlier = (await compose.sent_from_panel(context.runtime.db, _panel_of(query))
                   if caller.is_chair and press.action == Action.SEND else None)
        if earlier is not None:
            await _answer_sent_before(update, context, earlier)
            return
        await query.answer(context.t("announce-draft-expired"), show_alert=True)
        return
    if press.action == Action.CANCEL:
        context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
        clear_input(context)
        await query.answer()
        await _replace(query, context.t("announce-cancelled"))
        return
    if options is None:  # still waiting for the content: only "cancel" makes sense
        await query.answer(context.t("announce-draft-expired"), show_alert=True)
        return
    if press.action == Action.SEND:
        await _send(update, context, wizard, options)
        return
    runtime = context.runtime
    await query.answer()  # the panel's edit shows what changed
    choice = await compose.choose(runtime.db, runtime.clock, runtime.texts, caller, options,
                                  press)
    wizard.options = choice.options
    text, buttons = render_panel(context, wizard.nonce, choice.panel)
    try:
        await query.edit_message_text(text, reply_markup=inline_markup(buttons))
    except BadRequest as exc:
        if not unchanged(exc):
            raise
    if choice.preview is not None:
        await _refresh_preview(context, wizard, choice.preview)


async def _refresh_preview(context: BotContext, wizard: Wizard, preview: Outgoing) -> None:
    """The preview follows the options (the line asking to confirm by a deadline, the button)."""
    caller = caller_of(context)
    if wizard.preview is None:
        return
    message_id, kind, count = wizard.preview
    if count != 1:
        return  # a long notice's preview stays as sent; the panel shows the options
    body, markup = preview.text or preview.caption or "", inline_markup(preview.buttons)
    try:
        if kind == "text":
            await context.bot.edit_message_text(body, chat_id=caller.tg_user_id,
                                                message_id=message_id, reply_markup=markup)
        else:
            await context.bot.edit_message_caption(caller.tg_user_id, message_id, caption=body,
                                                   reply_markup=markup)
    except BadRequest:
        return  # deleted or unchanged: the panel still shows the options


async def _replace(query: Any, text: str) -> None:
    with contextlib.suppress(BadRequest):  # the panel was deleted: nothing to update
        await query.edit_message_text(text)


async def _send(update: Update, context: BotContext, wizard: Wizard,
                options: compose.Options) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    runtime, caller = context.runtime, caller_of(context)
    if compose.nothing_picked(options):
        await query.answer(context.t("announce-no-units-picked"), show_alert=True)
        return
    # Taken out before any await: a double tap finds no draft and sends nothing twice.
    context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
    sent = await compose.send(runtime.db, runtime.clock, runtime.texts, caller, options,
                              progress=(query.message.chat.id, query.message.message_id))
    if isinstance(sent, compose.Overtaken):
        await _answer_sent_before(update, context, sent)
        return
    if sent is None:
        context.user_data[DRAFT_KEY] = wizard  # type: ignore[index]
        await query.answer(context.t("announce-no-recipients"), show_alert=True)
        return
    await query.answer()
    outbox_of(context).wake()
    if sent.announcement.ack_deadline is not None:
        await wakeup_of(context).rearm()  # its confirmation deadline is now planned
    await _replace(query, context.t("announce-progress", id=sent.announcement.id, done=0,
                                    total=sent.messages))


def _panel_of(query: Any) -> tuple[int, int]:
    message = query.message
    return (message.chat.id, message.message_id) if message else (0, 0)


async def _answer_sent_before(
    update: Update, context: BotContext, earlier: compose.Overtaken
) -> None:
    """This panel's notice went out already: nothing is sent twice; who sent it, when."""
    block = caller_of(context).block
    query = update.callback_query
    if block is None or query is None:
        return
    text = told(context.t, "announce-sent-before", earlier.decision, block.tz,
                id=earlier.announcement_id)
    await query.answer(clip(text, ALERT_LIMIT), show_alert=True)
