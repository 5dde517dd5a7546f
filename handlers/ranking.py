"""/ranking, /progress and /export; the ranking posted to the group after each phase's
deadline (the reminders' "ranking" round) and after the chair's /review done.

Who gets what: in private, every registered representative sees the charts and the chair
exports the scoring table. In the group, the chair's /ranking and /progress are answered
in the group. A member's are answered in their private chat instead of being refused: they
get what they asked for without retyping it, and the group, where the province's units
read official notices, only carries rankings the chair or the schedule posted. If their
private chat is closed, one polite line in the group tells them how to open it.

The chart and export commands run with block=False and draw off the event loop, so other
people's messages are answered while a chart renders.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, InputFile, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler, filters

from bot.charts import caption_for, chart_fingerprint
from bot.commands import Audience, Scope, command
from bot.formatting import echo, format_datetime
from bot.jobs import run_soon
from bot.outbox import Delivery
from bot.outbox.sender import outbox_of
from bot.runtime import Runtime, runtime_of
from bot.services.ranking.charts import PROGRESS, RANKING, chart_for
from bot.services.ranking.export import load_export
from bot.services.ranking.posts import (
    BATCH_PREFIX,
    cached_file_id,
    charts_folder,
    deliver_pending,
    draw,
    forget_file_id,
    kind_of,
    post_delivered,
    remember_file_id,
    request_review_posts,
)
from handlers.common import caller_of, chair_only, is_private, reply
from handlers.context import BotContext
from handlers.screens import send_known_photo
from storage.records import Block, Phase

log = logging.getLogger(__name__)

COMMANDS = [
    command("ranking", Audience.MEMBER, Scope.PRIVATE, Scope.GROUP),
    command("progress", Audience.MEMBER, Scope.PRIVATE, Scope.GROUP),
    command("export", Audience.CHAIR, Scope.PRIVATE),
]

RESUME_JOB = "ranking-resume"


async def send_chart(bot: Bot, runtime: Runtime, chat_id: int, chart: Any) -> None:
    """Send a chart photo: by the cached file id when Telegram already has the picture,
    else drawn off the loop, uploaded, and its file id cached."""
    fingerprint = chart_fingerprint(chart)
    caption = caption_for(chart)
    cached = await cached_file_id(runtime.db, fingerprint)
    if cached is not None:
        try:
            await send_known_photo(bot, chat_id, cached, caption)
            return
        except BadRequest as exc:
            log.info("cached chart %s refused (%s): drawing it again", fingerprint[:12], exc)
            await forget_file_id(runtime.db, fingerprint)
    await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    png = await draw(chart, fingerprint)
    kind = kind_of(chart)
    sent = await bot.send_photo(chat_id, InputFile(png, filename=f"{kind}.png"),
                                caption=caption)
    if sent.photo:
        await remember_file_id(runtime.db, runtime.clock, fingerprint, kind,
                               sent.photo[-1].file_id)


async def ranking_command(update: Update, context: BotContext) -> None:
    """Send the ranking chart: /ranking, /ranking DOT1, /ranking year."""
    await _chart_request(update, context, RANKING)


async def progress_command(update: Update, context: BotContext) -> None:
    """Send the chart of each unit's progress towards its targets: /progress [PHASE]."""
    await _chart_request(update, context, PROGRESS)


async def _chart_request(update: Update, context: BotContext, kind: str) -> None:
    caller = caller_of(context)
    message = update.effective_message
    if message is None:
        return
    in_group = not is_private(update)
    if caller.block is None or not (caller.registered or caller.is_admin):
        await reply(update, context, "ranking-group-refused" if in_group
                    else "common-not-registered")
        return
    if not in_group or caller.is_chair:
        lang = caller.block.language if in_group else caller.language
        await _answer(context, kind, caller.block, message.chat_id, lang)
        return
    try:
        await _answer(context, kind, caller.block, caller.tg_user_id, caller.language)
    except Forbidden:
        user = update.effective_user
        await reply(update, context, "ranking-private-unreachable",
                    name=user.full_name if user else "", command=kind)


async def _answer(context: BotContext, kind: str, block: Block, chat_id: int, lang: str) -> None:
    runtime = context.runtime
    arg = context.args[0] if context.args else None
    answer = await chart_for(runtime.db, block, kind, arg, now=runtime.clock.now(), lang=lang)
    if answer.chart is None:
        assert answer.problem is not None
        text = runtime.texts.text(lang, answer.problem, code=echo(answer.code),
                                  codes=answer.codes)
        await context.bot.send_message(chat_id, text)
        return
    await send_chart(context.bot, runtime, chat_id, answer.chart)


@chair_only
async def export_command(update: Update, context: BotContext) -> None:
    """Send the scoring table (xlsx) to the chair."""
    from bot.exports.ranking import workbook_bytes  # openpyxl: loaded on first export

    caller = caller_of(context)
    message = update.effective_message
    block = caller.block
    if message is None or block is None:
        return
    runtime = context.runtime
    now = runtime.clock.now()
    await message.chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    data = await load_export(runtime.db, block, now)
    content = await asyncio.to_thread(workbook_bytes, data)
    name = runtime.texts.plain(block.language, "ranking-xlsx-file", code=block.code,
                               date=now.astimezone(block.tz).strftime("%Y%m%d-%H%M"))
    await message.reply_document(
        InputFile(content, filename=name),
        caption=context.t("ranking-export-caption", block=block.name,
                          time=format_datetime(now, block.tz)),
    )


async def export_in_group(update: Update, context: BotContext) -> None:
    """The scoring table is not for the group: point to the private chat."""
    await reply(update, context, "ranking-export-private-only")


# -- automatic posts ----------------------------------------------------------------------

async def _post_pending(application: Any) -> None:
    runtime = runtime_of(application)
    charts = charts_folder(runtime.settings.evidence_dir)
    if await deliver_pending(runtime.db, runtime.clock, charts=charts):
        outbox_of(application).wake()


async def on_review_done(application: Any, block: Block, phase: Phase) -> None:
    """The chair finished a phase's appraisal: post its final ranking to the group (and,
    after the last phase, the year's)."""
    runtime = runtime_of(application)
    if await request_review_posts(runtime.db, runtime.clock, block, phase):
        # Drawn in a task: the chair's /review done is answered and other updates go on.
        application.create_task(_post_pending(application), name="ranking-post")


async def on_post_delivered(application: Any, delivery: Delivery) -> None:
    """The outbox finished a ranking post: cache its file id (or tell the chair)."""
    runtime = runtime_of(application)
    if await post_delivered(runtime.db, runtime.clock, runtime.texts, delivery):
        outbox_of(application).wake()


async def _resume(context: Any) -> None:
    await _post_pending(context.application)


async def on_startup(application: Application) -> None:
    """Hook into /review done and the outbox; post what a crash left pending."""
    runtime = runtime_of(application)
    if on_review_done not in runtime.review_done:
        runtime.review_done.append(on_review_done)
    outbox_of(application).subscribe(BATCH_PREFIX, on_post_delivered)
    run_soon(application.job_queue, _resume, name=RESUME_JOB)


def register(application: Application) -> None:
    # block=False: a chart or a workbook in the making never holds up other updates.
    application.add_handler(CommandHandler("ranking", ranking_command, block=False))
    application.add_handler(CommandHandler("progress", progress_command, block=False))
    application.add_handler(CommandHandler(
        "export", export_command, filters=filters.ChatType.PRIVATE, block=False))
    application.add_handler(CommandHandler(
        "export", export_in_group, filters=filters.ChatType.GROUPS))
