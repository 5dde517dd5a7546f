"""Reports by Excel (issue 23): «📥 Mẫu Excel» and `/report excel [PHASE]` send the unit's
template; a workbook sent back in the private chat is checked and its good cells saved
(bot.services.report_excel), the answer being the form with the cells that were not.

The upload handler sits in handler group 0, ahead of the evidence handler of
TEXT_GROUP_REPORT: a workbook it takes stops there (ApplicationHandlerStop); a spreadsheet
sent while a criterion's question is open and that is no template goes on to be evidence.
"""

from __future__ import annotations

from decimal import Decimal

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.formatting import echo, format_deadline, format_number
from bot.services.report_excel import callbacks
from bot.services.report_excel.checks import BadCell
from bot.services.report_excel.container import MAX_WORKBOOK_BYTES
from bot.services.report_excel.download import (
    TemplateFile,
    TemplateOutcome,
    TemplateResult,
    make_template,
)
from bot.services.report_excel.reading import MAX_ROWS
from bot.services.report_excel.upload import Upload, UploadResult, receive_workbook
from bot.services.reports.entry import ReportView
from bot.services.reports.evidence import DownloadFailed, IncomingFile
from bot.services.values import Problem
from bot.texts import Html
from handlers.common import awaiting, caller_of, clear_input, member_only, reply
from handlers.context import BotContext
from handlers.report import input as report_input
from handlers.report.common import answer, pressed_data, refuse_press

FORGED = "report.excel.forged-press"
# `/report excel` and `/report excel DOT2`; plain `/report DOT2` stays the form's.
EXCEL_ARGUMENT = r"(?i)^/report(@\w+)?\s+excel(\s|$)"
SPREADSHEETS = (
    filters.Document.FileExtension("xlsx") | filters.Document.FileExtension("xlsm")
    | filters.Document.FileExtension("xls") | filters.Document.FileExtension("xlsb")
    | filters.Document.MimeType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    | filters.Document.MimeType("application/vnd.ms-excel")
    | filters.Document.MimeType("application/vnd.ms-excel.sheet.macroEnabled.12")
)
# A phone screen lists this many cells; the rest are counted.
CELLS_SHOWN = 10


@member_only
async def excel_command(update: Update, context: BotContext) -> None:
    """Send the unit's template of the current phase (or of the phase named)."""
    caller = caller_of(context)
    if caller.unit is None or caller.block is None:
        await reply(update, context, "report-excel-no-unit")
        return
    args = context.args or []
    code = args[1] if len(args) > 1 else None
    runtime = context.runtime
    result = await make_template(runtime.db, runtime.clock, runtime.texts, block=caller.block,
                                 unit=caller.unit, lang=caller.language, phase_code=code)
    await _deliver(update, context, result, code)


async def pressed(update: Update, context: BotContext) -> None:
    """«📥 Mẫu Excel» under the form: the template of that phase. A phase that is not the
    presser's block's is a forged press."""
    caller = caller_of(context)
    press = callbacks.parse(pressed_data(update))
    if press is None or caller.unit is None or caller.block is None:
        await answer(update, context, await refuse_press(update, context, FORGED))
        return
    runtime = context.runtime
    result = await make_template(runtime.db, runtime.clock, runtime.texts, block=caller.block,
                                 unit=caller.unit, lang=caller.language,
                                 phase_id=press.phase_id)
    if result.outcome is TemplateOutcome.UNKNOWN_PHASE:
        await answer(update, context, await refuse_press(update, context, FORGED))
        return
    await answer(update, context)
    await _deliver(update, context, result, None)


async def _deliver(update: Update, context: BotContext, result: TemplateResult,
                   code: str | None) -> None:
    """The template as a document, or why there is none."""
    if result.outcome is TemplateOutcome.READY:
        assert result.view is not None and result.file is not None
        await _send_file(update, context, result.view, result.file, "report-excel-caption")
        return
    phase = result.view.phase.name if result.view else ""
    await reply(update, context, f"report-excel-template-{result.outcome.value}",
                phase=phase, code=echo(code or ""))


async def _send_file(update: Update, context: BotContext, view: ReportView,
                     file: TemplateFile, key: str) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    caption = context.t(key, phase=view.phase.name, unit=view.unit.name,
                        column=context.t("report-excel-col-value"),
                        due=format_deadline(view.phase.report_due, view.tree.block.tz,
                                            caller_of(context).language))
    await chat.send_document(InputFile(file.data, filename=file.name), caption=caption)


@member_only
async def on_workbook(update: Update, context: BotContext) -> None:
    """A spreadsheet sent in the private chat: the unit's template coming back."""
    message = update.effective_message
    document = message.document if message else None
    caller = caller_of(context)
    if document is None:
        return
    if caller.unit is None or caller.block is None:
        await reply(update, context, "report-excel-no-unit")
        raise ApplicationHandlerStop
    evidence_open = awaiting(context, report_input.FEATURE) is not None
    incoming = IncomingFile("document", document.file_id, document.file_unique_id,
                            document.file_name, document.mime_type, document.file_size)

    async def fetch() -> bytes:
        try:
            tg_file = await context.bot.get_file(document.file_id)
            return bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            raise DownloadFailed(str(exc)) from exc

    runtime = context.runtime
    result = await receive_workbook(runtime.db, runtime.clock, runtime.texts, caller=caller,
                                    file=incoming, fetch=fetch, evidence_open=evidence_open)
    if result.outcome is Upload.NOT_OURS:
        return  # evidence for the open criterion (handlers/report/input.py)
    if evidence_open:
        clear_input(context)
    await _show_upload(update, context, result, document.file_name or "")
    raise ApplicationHandlerStop


async def _show_upload(update: Update, context: BotContext, result: UploadResult,
                       name: str) -> None:
    caller = caller_of(context)
    if result.outcome in (Upload.SAVED, Upload.NOTHING) and result.view is not None:
        head = upload_head(context, result, name)
        await report_input.send_form(update, context, result.view, head)
        return
    assert caller.block is not None and caller.unit is not None
    key = f"report-excel-refused-{result.outcome.value}"
    await reply(update, context, key, max=MAX_WORKBOOK_BYTES // 2**20, rows=MAX_ROWS,
                block=echo(result.block_code or ""), current=caller.block.code,
                unit=caller.unit.name, phase=result.view.phase.name if result.view else "")
    if result.template is not None and result.view is not None:
        await _send_file(update, context, result.view, result.template,
                         "report-excel-fresh-caption")


def upload_head(context: BotContext, result: UploadResult, name: str) -> str:
    """What was saved, kept and refused, above the form (rendered HTML)."""
    t = context.t
    key = "report-excel-saved" if result.outcome is Upload.SAVED else "report-excel-nothing"
    lines = [t(key, name=echo(name), count=len(result.saved))]
    if result.kept:
        cells = [c.address for c in result.kept]
        shown = ", ".join(cells[:CELLS_SHOWN]) + ("…" if len(cells) > CELLS_SHOWN else "")
        lines.append(t("report-excel-kept", count=len(cells), cells=shown))
    if result.bad:
        lines.append(t("report-excel-bad", count=len(result.bad)))
        for bad in result.bad[:CELLS_SHOWN]:
            lines.append(t("report-excel-bad-item", cell=bad.address,
                           reason=Html(reason_text(context, bad))))
        if len(result.bad) > CELLS_SHOWN:
            lines.append(t("report-excel-bad-more", count=len(result.bad) - CELLS_SHOWN))
    return "\n".join(lines)


def reason_text(context: BotContext, bad: BadCell) -> str:
    """'không phải là số', 'vượt quá 30 điểm tối đa' (rendered HTML)."""
    t, lang = context.t, caller_of(context).language
    if bad.problem is not None:
        return t(f"report-excel-reason-{bad.problem.value}", code=echo(bad.code or ""))
    assert bad.bad is not None
    limit = format_number(Decimal(bad.bad.limit), lang) if bad.bad.limit is not None else ""
    text = t(f"report-excel-reason-{bad.bad.problem.value}", limit=limit)
    if bad.bad.problem is Problem.NOT_A_NUMBER and bad.bad.suggestion:
        text += t("report-excel-reason-suggestion", suggestion=echo(bad.bad.suggestion))
    return text


def register(application: Application) -> None:
    """Before the report's own handlers: `/report excel` is claimed ahead of `/report`."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(
        "report", excel_command, filters=private & filters.Regex(EXCEL_ARGUMENT)))
    application.add_handler(CallbackQueryHandler(pressed, pattern=callbacks.PATTERN))
    application.add_handler(MessageHandler(private & SPREADSHEETS, on_workbook))
