"""What representatives type or send into a report: a criterion's value after pressing
its button, `CODE: value` lines (also unprompted), and evidence photos and documents.

One text handler in TEXT_GROUP_REPORT serves the report and the chair's review (points,
reasons), because only one handler of a group sees a message.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot.buttons import one
from bot.formatting import echo
from bot.services.reports import callbacks
from bot.services.reports.entry import ReportView, Save, SaveResult
from bot.services.reports.evidence import (
    MAX_EVIDENCE_BYTES,
    MAX_FILES_PER_CRITERION,
    Attach,
    DownloadFailed,
    IncomingFile,
    attach_evidence,
)
from bot.services.reports.lines import LinesResult, save_code_lines, save_typed
from bot.services.reports.pages import Page, form_pages, page_of, short_name
from bot.texts import Html
from handlers import review
from handlers.common import (
    TEXT_GROUP_REPORT,
    awaiting,
    awaiting_feature,
    caller_of,
    clear_input,
    is_private,
    reply,
)
from handlers.context import BotContext
from handlers.report.common import ask, show
from handlers.report.form import overview_keyboard, overview_text, page_keyboard, page_text
from handlers.report.question import retry_placeholder
from handlers.report.views import bad_value_text, show_value
from handlers.screens import answer_screen

FEATURE = "report"
# A line of `CODE: value` lines that could not be read is quoted back this long at most.
LINE_ECHO = 100

_REFUSED = {Save.LOCKED: "report-locked", Save.CLOSED: "report-closed",
            Save.UNKNOWN: "report-criterion-gone", Save.FILLED: "report-filled-by-attendance"}


async def send_form(
    update: Update, context: BotContext, view: ReportView, head: str = ""
) -> None:
    """Show the form's overview (in place of a pressed screen, or as an answer), `head` on
    top."""
    lang = caller_of(context).language
    await show(update, context, overview_text(context.t, view, lang, head),
               overview_keyboard(context.t, view))


async def send_page(
    update: Update, context: BotContext, view: ReportView, page: Page, head: str = ""
) -> None:
    """Show one page of the form, `head` on top."""
    lang = caller_of(context).language
    await show(update, context, page_text(context.t, view, page, lang, head),
               page_keyboard(context.t, view, page))


def forget(context: BotContext) -> None:
    """Drop a pending question of this feature (a new /report or /review starts afresh)."""
    if awaiting(context, FEATURE) or awaiting(context, review.FEATURE):
        clear_input(context)


async def show_save_result(update: Update, context: BotContext, result: SaveResult) -> None:
    lang = caller_of(context).language
    t = context.t
    if result.outcome is Save.BAD:
        assert result.criterion is not None and result.bad is not None
        # The question stays open: asked again, so the keyboard opens on it again.
        await ask(update, context, bad_value_text(t, result.criterion, result.bad, lang),
                  retry_placeholder(t, result.criterion, lang))
        return
    clear_input(context)
    if result.view is None:
        await answer_screen(update, t(_REFUSED[result.outcome]))
        return
    if result.outcome is not Save.SAVED:
        await send_form(update, context, result.view, t(_REFUSED[result.outcome]))
        return
    assert result.criterion is not None
    head = t("report-saved", title=short_name(result.criterion),
             value=show_value(t, result.criterion, result.stored, lang))
    page = page_of(form_pages(result.view.criteria), result.criterion.id)
    if page is None:
        await send_form(update, context, result.view, head)
    else:  # back on the criterion's page, to go on with the next one
        await send_page(update, context, result.view, page, head)


def _lines_head(context: BotContext, result: LinesResult) -> str:
    t, lang = context.t, caller_of(context).language
    parts = []
    if result.saved:
        shown = [t("report-lines-saved-item", title=short_name(c),
                   value=show_value(t, c, v, lang)) for c, v in result.saved]
        parts.append(t("report-lines-saved", count=len(result.saved)) + "\n" + "\n".join(shown))
    if result.bad:
        items = []
        for bad in result.bad:
            if bad.bad is not None and bad.criterion is not None:
                why = bad_value_text(t, bad.criterion, bad.bad, lang)
            else:
                why = t(f"report-line-{bad.problem.value if bad.problem else 'not-a-line'}")
            items.append(t("report-lines-bad-item", number=bad.number,
                           line=echo(bad.line, LINE_ECHO), reason=Html(why)))
        parts.append(t("report-lines-bad", count=len(result.bad)) + "\n" + "\n".join(items))
    return "\n\n".join(parts)


async def _show_lines_result(update: Update, context: BotContext, result: LinesResult) -> None:
    if result.view is None:  # no phase has started yet
        await reply(update, context, "report-no-phase")
        return
    if result.outcome in _REFUSED:
        head = context.t(_REFUSED[result.outcome])
    else:
        if result.saved:
            clear_input(context)
        head = _lines_head(context, result)
    await send_form(update, context, result.view, head)


async def on_text(update: Update, context: BotContext) -> None:
    """A typed value, review input, or `CODE: value` lines; anything else is not ours."""
    message = update.effective_message
    if message is None or not message.text or not is_private(update):
        return
    caller = caller_of(context)
    runtime = context.runtime
    state = awaiting(context, FEATURE)
    if state is not None and caller.registered:
        assert caller.block is not None and caller.unit is not None
        result = await save_typed(
            runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
            actor_tg_id=caller.tg_user_id, phase_id=int(state["phase"]),
            criterion_id=int(state["criterion"]), text=message.text, lang=caller.language,
        )
        if isinstance(result, LinesResult):
            await _show_lines_result(update, context, result)
        else:
            await show_save_result(update, context, result)
        return
    review_state = awaiting(context, review.FEATURE)
    if review_state is not None:
        await review.on_review_text(update, context, review_state)
        return
    if (caller.registered and caller.block is not None and caller.unit is not None
            and awaiting_feature(context) is None):
        lines = await save_code_lines(
            runtime.db, runtime.clock, block=caller.block, unit=caller.unit,
            actor_tg_id=caller.tg_user_id, text=message.text, lang=caller.language,
        )
        if lines is not None:
            await _show_lines_result(update, context, lines)


def _incoming(message: Message) -> IncomingFile | None:
    if message.photo:
        size = message.photo[-1]  # Telegram lists sizes smallest first
        return IncomingFile("photo", size.file_id, size.file_unique_id, None, "image/jpeg",
                            size.file_size)
    doc = message.document
    if doc is None:
        return None
    return IncomingFile("document", doc.file_id, doc.file_unique_id, doc.file_name,
                        doc.mime_type, doc.file_size)


async def on_file(update: Update, context: BotContext) -> None:
    """A photo or document sent while a criterion is open: attach it as evidence."""
    message = update.effective_message
    caller = caller_of(context)
    state = awaiting(context, FEATURE)
    incoming = _incoming(message) if message else None
    if incoming is None or not caller.registered:
        return
    if state is None:
        if awaiting_feature(context) is None:
            await reply(update, context, "report-evidence-choose")
        return
    assert caller.block is not None and caller.unit is not None

    async def fetch() -> bytes:
        try:
            tg_file = await context.bot.get_file(incoming.file_id)
            return bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            raise DownloadFailed(str(exc)) from exc

    runtime = context.runtime
    result = await attach_evidence(
        runtime.db, runtime.clock, evidence_dir=runtime.settings.evidence_dir,
        block=caller.block, unit=caller.unit, actor_tg_id=caller.tg_user_id,
        phase_id=int(state["phase"]), criterion_id=int(state["criterion"]),
        file=incoming, fetch=fetch,
    )
    criterion = result.criterion
    title = short_name(criterion) if criterion else ""
    if result.outcome in (Attach.LOCKED, Attach.CLOSED, Attach.UNKNOWN):
        clear_input(context)
    text = context.t(f"report-evidence-{result.outcome.value}", title=title,
                     count=result.count, max=MAX_EVIDENCE_BYTES // 2**20,
                     limit=MAX_FILES_PER_CRITERION)
    page = page_of(form_pages(result.view.criteria), criterion.id) if (
        result.view is not None and criterion is not None) else None
    if page is None or result.outcome in (Attach.LOCKED, Attach.CLOSED, Attach.UNKNOWN):
        await answer_screen(update, text)
        return
    # Back to the criterion's page when the files are sent (the question stays open).
    back = callbacks.open_page(int(state["phase"]), page.index)
    await answer_screen(update, text, one(context.t("report-button-back-page"), back))


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
        group=TEXT_GROUP_REPORT,
    )
    application.add_handler(
        MessageHandler(private & (filters.PHOTO | filters.Document.ALL), on_file),
        group=TEXT_GROUP_REPORT,
    )
