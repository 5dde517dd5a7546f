"""Sending a report's evidence to the chair: by Telegram file id, or from the stored copy
(read by bot.services.reports.evidence) when Telegram no longer has the file."""

from __future__ import annotations

import logging

from telegram import InputFile, Update
from telegram.error import BadRequest

from bot.services.reports.evidence import EvidenceFile, ReportEvidence, open_copy
from handlers.common import reply
from handlers.context import BotContext
from handlers.report.views import shorten

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
            "review-evidence-caption", unit=found.view.unit.code,
            code=criterion.code if criterion else "?",
            title=shorten(criterion.title, 200) if criterion else "",
            name=file.evidence.file_name or "",
        ).strip()[:MAX_CAPTION]
        await _send_one(update, file, caption)
