"""Sending a report's evidence to the chair (one criterion's files, «📎» beside it, or all):
by Telegram file id, or from the stored copy (read by bot.services.reports.evidence) when
Telegram no longer has the file; then the report's page again, below the files."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import InputFile, Update
from telegram.error import BadRequest

from bot.services.reports.evidence import EvidenceFile, ReportEvidence, open_copy
from bot.services.review.appraiser import Appraiser
from handlers.common import caller_of, reply
from handlers.context import BotContext
from handlers.report.views import shorten
from handlers.review.views import detail_keyboard, detail_text, page_index_of
from handlers.screens import answer_screen, edit_buttons

log = logging.getLogger(__name__)

# Telegram's limit on a caption (Bot API sendPhoto/sendDocument: 0-1024 characters).
MAX_CAPTION = 1024


async def _send_one(update: Update, file: EvidenceFile, caption: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    item = file.evidence
    send = chat.send_photo if item.kind == "photo" else chat.send_document
    try:
        await send(item.tg_file_id, caption=caption)
        return
    except BadRequest as exc:
        log.info("evidence %s not sendable by file id (%s): uploading the copy", item.id, exc)
    with await open_copy(file) as copy:
        # read_file_handle=False: PTB hands the open file to the HTTP client, which sends
        # it in chunks instead of one 20 MB write.
        upload = InputFile(copy, filename=item.file_name or file.path.name,
                           read_file_handle=False)
        if item.kind == "photo":
            await chat.send_photo(upload, caption=caption)
        else:
            await chat.send_document(upload, caption=caption)


async def send_evidence(update: Update, context: BotContext, found: ReportEvidence) -> None:
    """Send every file of the report, each captioned with its unit and criterion."""
    if not found.files:
        await reply(update, context, "review-no-evidence")
        return
    for file in found.files:
        criterion = file.criterion
        caption = context.t(
            "review-evidence-caption", unit=found.view.unit.name,
            title=shorten(criterion.title, 200) if criterion else "",
            name=file.evidence.file_name or "",
        ).strip()[:MAX_CAPTION]
        await _send_one(update, file, caption)


async def evidence_pressed(
    update: Update, context: BotContext, found: ReportEvidence, criterion_id: int | None,
    appraiser: Appraiser,
) -> None:
    """«📎»: the files, then the page they belong to again below them, so the tools are in
    reach without scrolling back over the pictures; the screen above gives up its buttons."""
    if criterion_id is not None:
        found = replace(found, files=tuple(
            f for f in found.files if f.evidence.criterion_id == criterion_id))
    await send_evidence(update, context, found)
    query = update.callback_query
    message = query.message if query else None
    if message is None or not found.files:
        return
    try:
        await edit_buttons(update.get_bot(), message.chat.id, message.message_id, ())
    except BadRequest as exc:  # too old to edit: two copies of the screen then, both live
        log.info("could not take the buttons off the report screen: %s", exc)
    page = page_index_of(found.view, criterion_id) if criterion_id is not None else 0
    lang = caller_of(context).language
    await answer_screen(update, detail_text(context.t, found.view, lang, "", page, appraiser),
                        detail_keyboard(context.t, found.view, page, appraiser))
