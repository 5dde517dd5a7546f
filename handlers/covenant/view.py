"""Rendering shared by the covenant handlers: the text with the unit's section, status."""

from __future__ import annotations

from telegram import Message, Update

from bot.buttons import NO_BUTTONS, Buttons
from bot.formatting import format_datetime
from bot.markup import inline_markup
from bot.outbox.sender import outbox_of
from bot.services.covenant import messages as notices
from bot.services.covenant.hash import short_hash
from bot.services.covenant.state import CovenantState
from bot.services.covenant.views import CovenantView
from bot.texts import Html
from handlers.common import caller_of
from handlers.context import BotContext
from storage.covenant.records import Signature
from storage.records import Block, Unit


def keyboard(*buttons: tuple[str, str]) -> Buttons:
    """One row of buttons from (label, callback data) pairs."""
    return notices.button_row(buttons)


def wake_if(context: BotContext, queued: bool) -> None:
    """Let the outbox send what the service just queued (after its commit)."""
    if queued:
        outbox_of(context).wake()


async def send(
    update: Update, context: BotContext, text: str, buttons: Buttons = NO_BUTTONS
) -> Message:
    """A new message in the chat of the update (a command or a button press)."""
    chat = update.effective_chat
    user = update.effective_user
    chat_id = chat.id if chat is not None else user.id if user is not None else 0
    return await context.bot.send_message(chat_id, text, reply_markup=inline_markup(buttons))


async def replace_pressed(update: Update, context: BotContext, text: str) -> None:
    """Edit the pressed message (its buttons go), or write anew if it is out of reach.

    Only a message that really carries the pressed button is edited: crafted or replayed
    data can arrive on any message of the chat, such as the covenant text itself.
    """
    query = update.callback_query
    message = query.message if query is not None else None
    if query is not None and isinstance(message, Message) and _carries(message, query.data):
        await query.edit_message_text(text)
    else:
        await send(update, context, text)


def _carries(message: Message, data: str | None) -> bool:
    markup = message.reply_markup
    if markup is None or data is None:
        return False
    return any(b.callback_data == data for row in markup.inline_keyboard for b in row)


async def send_parts(
    update: Update, context: BotContext, parts: list[str], buttons: Buttons = NO_BUTTONS,
) -> None:
    """Several messages; the buttons go under the last one."""
    for i, part in enumerate(parts):
        await send(update, context, part, buttons if i == len(parts) - 1 else NO_BUTTONS)


def signed_by(context: BotContext, block: Block, signature: Signature) -> str:
    return context.t("covenant-already", name=signature.signer_name,
                     when=format_datetime(signature.signed_at, block.tz),
                     hash=short_hash(signature.text_hash))


async def show_covenant(update: Update, context: BotContext, view: CovenantView) -> None:
    """The published text with the caller's unit section, its state and the sign button."""
    caller = caller_of(context)
    block = caller.block
    assert block is not None
    runtime = context.runtime
    state, pledge = view.state, view.pledge
    content = state.content()
    if content is None:
        await send(update, context, context.t("covenant-none"))
        return
    version = state.version
    if version is None:
        key = "covenant-draft-chair" if caller.is_chair else "covenant-not-published"
        await send(update, context, context.t(key))
        if not caller.is_chair:
            return
    heading = unit_state(context, state, caller.unit)
    footer, buttons = None, NO_BUTTONS
    if version is not None and caller.unit is not None and caller.unit.id not in state.signatures:
        footer = context.t("covenant-show-footer", sign_by=sign_by(context, block))
        buttons = keyboard(notices.sign_button(context.t("covenant-button-sign"), version.id,
                                               caller.unit.id))
    if caller.is_chair:
        footer = "\n\n".join(x for x in (footer, context.t("covenant-chair-hint")) if x)
    parts = notices.covenant_messages(runtime.texts, caller.language, heading=heading,
                                      content=content, pledge=pledge, footer=footer)
    await send_parts(update, context, parts, buttons)


def unit_state(context: BotContext, state: CovenantState, unit: Unit | None) -> str | None:
    version = state.version
    if version is None:
        return context.t("covenant-draft-heading")
    head = context.t("covenant-version-heading", number=version.number,
                     when=format_datetime(version.published_at, state.block.tz),
                     signed=state.signed, total=state.total)
    if unit is None:
        return head
    signature = state.signatures.get(unit.id)
    if signature is not None:
        return head + "\n" + context.t(
            "covenant-unit-signed", unit=unit.name, name=signature.signer_name,
            when=format_datetime(signature.signed_at, state.block.tz),
            hash=short_hash(signature.text_hash))
    return head + "\n" + context.t("covenant-unit-unsigned", unit=unit.name)


def sign_by(context: BotContext, block: Block) -> Html:
    runtime = context.runtime
    lang = caller_of(context).language
    return notices.sign_by_text(runtime.texts, lang, block)


def status_parts(context: BotContext, state: CovenantState) -> list[str]:
    """Who signed when, who has not: for the chair in private or in the group."""
    version = state.version
    if version is None:
        return [context.t("covenant-status-unpublished")]
    tz = state.block.tz
    chunks = [context.t("covenant-status-heading", title=version.title, number=version.number,
                        signed=state.signed, total=state.total)]
    signed = [
        context.t("covenant-status-signed-line", n=n, unit=u.name, name=s.signer_name,
                  when=format_datetime(s.signed_at, tz))
        for n, (u, s) in enumerate(
            ((u, state.signatures[u.id]) for u in state.tree.units if u.id in state.signatures),
            start=1,
        )
    ]
    if signed:
        chunks.append(context.t("covenant-status-signed") + "\n" + "\n".join(signed))
    unsigned = [context.t("covenant-status-unsigned-line", unit=u.name)
                for u in state.unsigned_units()]
    if unsigned:
        chunks.append(context.t("covenant-status-unsigned", sign_by=sign_by(context, state.block))
                      + "\n" + "\n".join(unsigned))
    return notices.split_chunks(chunks)
