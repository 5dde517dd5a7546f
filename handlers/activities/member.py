"""Everyone's side: /activities, an activity's details, and checking in with a photo on
the day."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import TelegramError

from bot.services.activities import callbacks
from bot.services.activities.attendance import Checkin, add_checkin, start_checkin
from bot.services.activities.listing import detail, list_activities
from bot.services.reports.evidence import DownloadFailed, IncomingFile
from handlers.activities.views import detail_screen, listing_screen
from handlers.common import (
    answer_invalid_press,
    caller_of,
    clear_input,
    expect_input,
    member_only,
    reply,
)
from handlers.context import BotContext
from handlers.screens import answer_screen

FEATURE = "activities"


@member_only
async def activities_command(update: Update, context: BotContext) -> None:
    """/activities: the coming and past joint activities of the block."""
    caller = caller_of(context)
    if caller.block is None:
        await reply(update, context, "common-not-registered")
        return
    runtime = context.runtime
    listing = await list_activities(runtime.db, runtime.clock, caller.block)
    text, buttons = listing_screen(context.t, runtime.texts, caller.language, listing)
    await answer_screen(update, text, buttons)


async def on_detail_press(update: Update, context: BotContext) -> None:
    """One activity from /activities (or the check-in button)."""
    query = update.callback_query
    parsed = callbacks.parse_one(query.data if query else None)
    if query is None:
        return
    if parsed is None or parsed[0] not in ("k", "v"):
        await answer_invalid_press(update, context)
        return
    action, activity_id = parsed
    if action == "k":
        await _checkin_press(update, context, activity_id)
        return
    runtime, caller = context.runtime, caller_of(context)
    found = await detail(runtime.db, caller, activity_id)
    if found is None:
        await answer_invalid_press(update, context)
        return
    await query.answer()
    text, buttons = detail_screen(context.t, runtime.texts, caller.language, found,
                                  runtime.clock.now())
    await answer_screen(update, text, buttons)


async def _checkin_press(update: Update, context: BotContext, activity_id: int) -> None:
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    result = await start_checkin(runtime.db, runtime.clock, caller_of(context), activity_id)
    if result.outcome is Checkin.UNKNOWN:
        await answer_invalid_press(update, context)
        return
    if result.outcome is not Checkin.ASK:
        await query.answer(context.t(f"activity-checkin-{result.outcome.value}"),
                           show_alert=True)
        return
    expect_input(context, FEATURE, step="checkin", activity=activity_id)
    await query.answer()
    await reply(update, context, "activity-checkin-ask")


def _photo(message: Message) -> IncomingFile | None:
    if message.photo:
        size = message.photo[-1]  # Telegram lists sizes smallest first
        return IncomingFile("photo", size.file_id, size.file_unique_id, None, "image/jpeg",
                            size.file_size)
    if message.document is not None:
        doc = message.document
        return IncomingFile("document", doc.file_id, doc.file_unique_id, doc.file_name,
                            doc.mime_type, doc.file_size)
    return None


async def on_checkin_file(update: Update, context: BotContext, activity_id: int) -> None:
    """The photo after «Điểm danh»: kept as evidence, the unit marked present."""
    message = update.effective_message
    incoming = _photo(message) if message else None
    if incoming is None:
        return

    async def fetch() -> bytes:
        try:
            tg_file = await context.bot.get_file(incoming.file_id)
            return bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            raise DownloadFailed(str(exc)) from exc

    runtime = context.runtime
    result = await add_checkin(runtime.db, runtime.clock, caller_of(context), activity_id,
                               file=incoming, fetch=fetch,
                               evidence_dir=runtime.settings.evidence_dir)
    if result.outcome is not Checkin.BAD_FILE:
        clear_input(context)
    await reply(update, context, f"activity-checkin-{result.outcome.value}")
