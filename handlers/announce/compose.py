"""/announce: the chair writes a notice, picks the audience, previews it and sends it.

The draft lives in the chair's user_data (lost on restart: the chair simply starts again);
every button carries the draft's nonce, so a press on an old panel cannot change or send a
newer draft, and the draft is taken out before sending, so a double tap sends once.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.markup import inline_markup
from bot.outbox.sender import outbox_of, send_now
from bot.services.announce.notices import Content, Draft, send_announcement
from handlers.announce.draft import DEADLINES, draft_of, panel, preview_outgoing, to_service
from handlers.common import awaiting, caller_of, chair_only, clear_input, expect_input, reply
from handlers.context import BotContext
from handlers.screens import unchanged
from storage import blocks as blocks_repo

FEATURE = "announce"
DRAFT_KEY = "announce_draft"
PANEL_PRESS = re.compile(r"^an:d:([0-9a-f]{6}):([a-z]+)(?::([0-9a-z]+))?$")


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
    context.user_data[DRAFT_KEY] = {"nonce": nonce}  # type: ignore[index]
    expect_input(context, FEATURE, nonce=nonce)
    cancel = InlineKeyboardButton(context.t("announce-btn-cancel"),
                                  callback_data=f"an:d:{nonce}:cancel")
    await message.reply_text(context.t("announce-ask-content"),
                             reply_markup=InlineKeyboardMarkup([[cancel]]))


def _text_after_command(message: Message) -> str:
    """The HTML of `/announce <text>` without the command (entities kept)."""
    if not message.text or len(message.text.split(maxsplit=1)) < 2:
        return ""
    markup = message.text_html
    command = message.text.split(maxsplit=1)[0]
    return markup[len(command):].strip() if markup.startswith(command) else ""


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
        content = Content("photo", message.caption_html or None, message.photo[-1].file_id)
    elif message.document:
        content = Content("document", message.caption_html or None, message.document.file_id,
                          message.document.file_name)
    elif message.text:
        content = Content("text", message.text_html)
    else:
        await reply(update, context, "announce-content-unsupported")
        raise ApplicationHandlerStop
    await _start_draft(update, context, content)
    raise ApplicationHandlerStop


async def _start_draft(update: Update, context: BotContext, content: Content) -> None:
    clear_input(context)
    caller = caller_of(context)
    assert caller.block is not None
    has_group = caller.block.group_chat_id is not None
    draft: dict[str, Any] = {
        "nonce": secrets.token_hex(3), "block_id": caller.block.id,
        "content": content.__dict__, "mode": "both" if has_group else "units",
        "unit_ids": [], "ask_ack": True, "deadline": "",
    }
    context.user_data[DRAFT_KEY] = draft  # type: ignore[index]
    chat_id = update.effective_chat.id if update.effective_chat else caller.tg_user_id
    sent = await send_now(context.bot, preview_outgoing(context, draft, chat_id))
    # Only a one-message preview follows later changes of the options (see _refresh_preview).
    draft["preview"] = [sent[-1].message_id, content.kind, len(sent)]
    if not has_group:
        await context.bot.send_message(chat_id, context.t("announce-no-group"))
    text, markup = await panel(context, draft)
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def on_preview_press(update: Update, context: BotContext) -> None:
    """The button on the preview does nothing but explain itself."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.t("announce-preview-press"))


async def on_panel(update: Update, context: BotContext) -> None:
    """Change the draft's audience and options, or send / cancel it."""
    query = update.callback_query
    match = PANEL_PRESS.match(query.data or "") if query else None
    if query is None or match is None:
        return
    nonce, action, arg = match.group(1), match.group(2), match.group(3)
    caller = caller_of(context)
    draft = draft_of(context, DRAFT_KEY, nonce)
    if not caller.is_chair or draft is None or (
        "block_id" in draft and caller.block is not None and draft["block_id"] != caller.block.id
    ):
        await query.answer(context.t("announce-draft-expired"), show_alert=True)
        return
    if action == "cancel":
        context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
        clear_input(context)
        await query.answer()
        await _replace(query, context.t("announce-cancelled"))
        return
    if "content" not in draft:  # still waiting for the content: only "cancel" makes sense
        await query.answer(context.t("announce-draft-expired"), show_alert=True)
        return
    if action == "send":
        await _send(update, context, draft)
        return
    changed_preview = await _apply(context, draft, action, arg)
    await query.answer()
    text, markup = await panel(context, draft)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if not unchanged(exc):
            raise
    if changed_preview:
        await _refresh_preview(context, draft)


async def _apply(context: BotContext, draft: dict[str, Any], action: str, arg: str | None) -> bool:
    """Change the draft; True if the preview's wording changed too."""
    if action == "aud" and arg in ("both", "group", "units"):
        draft["mode"], draft["picking"] = arg, False
    elif action == "pick":
        draft["mode"], draft["picking"] = "pick", True
    elif action == "tog" and arg and arg.isdigit():
        caller = caller_of(context)
        assert caller.block is not None
        async with context.runtime.db.read() as conn:
            unit = await blocks_repo.get_unit(conn, int(arg))
        if unit is not None and unit.block_id == caller.block.id and unit.active:
            ids = set(draft["unit_ids"]) ^ {unit.id}
            draft["unit_ids"] = sorted(ids)
    elif action in ("all", "clear"):
        caller = caller_of(context)
        assert caller.block is not None
        async with context.runtime.db.read() as conn:
            tree = await blocks_repo.load_tree(conn, caller.block)
        draft["unit_ids"] = [u.id for u in tree.units] if action == "all" else []
    elif action == "done":
        draft["picking"] = False
    elif action == "ack":
        draft["ask_ack"] = not draft["ask_ack"]
        return True
    elif action == "dl" and arg is not None:
        code = "" if arg == "none" else arg
        if code in DEADLINES:
            draft["deadline"] = code
            return True
    return False


async def _refresh_preview(context: BotContext, draft: dict[str, Any]) -> None:
    """The preview follows the options (the line asking to confirm by a deadline, the button)."""
    caller = caller_of(context)
    assert caller.block is not None
    message_id, kind, count = draft["preview"]
    if count != 1:
        return  # a long notice's preview stays as sent; the panel shows the options
    preview = preview_outgoing(context, draft, caller.tg_user_id)
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


async def _send(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    runtime, caller = context.runtime, caller_of(context)
    service_draft: Draft = to_service(draft, runtime.clock.now())
    if draft["mode"] == "pick" and not draft["unit_ids"]:
        await query.answer(context.t("announce-no-units-picked"), show_alert=True)
        return
    # Taken out before any await: a double tap finds no draft and sends nothing twice.
    context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
    sent = await send_announcement(
        runtime, caller, service_draft, progress=(query.message.chat.id, query.message.message_id)
    )
    if sent is None:
        context.user_data[DRAFT_KEY] = draft  # type: ignore[index]
        await query.answer(context.t("announce-no-recipients"), show_alert=True)
        return
    await query.answer()
    outbox_of(context).wake()
    await _replace(query, context.t("announce-progress", id=sent.announcement.id, done=0,
                                    total=sent.messages))
