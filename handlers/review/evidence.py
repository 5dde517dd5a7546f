"""Sending a report's evidence to the chair: by Telegram file id, or from the stored copy
when Telegram no longer has the file."""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import Update
from telegram.error import BadRequest

from bot.services.reports.entry import ReportView
from bot.services.reports.evidence import evidence_files
from handlers.common import reply
from handlers.context import BotContext
from handlers.report.views import shorten
from storage.reports.records import Evidence

log = logging.getLogger(__name__)

# Telegram's limit on a caption (Bot API sendPhoto/sendDocument: 0-1024 characters).
MAX_CAPTION = 1024


async def _send_one(
    update: Update, context: BotContext, item: Evidence, caption: str, folder: Path
) -> None:
    chat = update.effective_chat
    assert chat is not None
    send = chat.send_photo if item.kind == "photo" else chat.send_document
    try:
        await send(item.tg_file_id, caption=caption)
        return
    except BadRequest as exc:
        log.info("evidence %s not sendable by file id (%s): uploading the copy", item.id, exc)
    path = folder / item.stored_path
    if item.kind == "photo":
        await chat.send_photo(path.read_bytes(), caption=caption)
    else:
        await chat.send_document(path.read_bytes(), filename=item.file_name or path.name,
                                 caption=caption)


async def send_evidence(update: Update, context: BotContext, view: ReportView) -> None:
    """Send every file of the report, each captioned with its unit and criterion."""
    assert view.report is not None
    files = await evidence_files(context.runtime.db, view.report.id)
    if not files:
        await reply(update, context, "review-no-evidence")
        return
    by_id = {c.id: c for c in view.criteria}
    folder = context.runtime.settings.evidence_dir
    for item in files:
        criterion = by_id.get(item.criterion_id)
        caption = context.t(
            "review-evidence-caption", unit=view.unit.code,
            code=criterion.code if criterion else "?",
            title=shorten(criterion.title, 200) if criterion else "",
            name=item.file_name or "",
        ).strip()[:MAX_CAPTION]
        await _send_one(update, context, item, caption, folder)
