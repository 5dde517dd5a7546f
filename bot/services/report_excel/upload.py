"""The use case of a workbook sent back: check it, then save every good cell in one
transaction with audit, through the same building blocks as typed `CODE: value` lines
(bot.services.reports.entry: writable_report, store_values, view_after_saving).

The file is read in memory and never written to disk; the audit keeps its SHA-256. A
refusal saves nothing and is audited (`report.excel.<reason>`); an accepted workbook adds
one `report.excel` entry beside the `report.value` entry of each value saved.

Cells still holding the value the template was made with were not touched by the sender:
they are not written, so a colleague's later change to those criteria stands (two
representatives sending workbooks at once lose nothing; on a cell both changed, the later
one wins, as with typed values).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.services.access import Caller
from bot.services.clock import Clock
from bot.services.report_excel import checks, reading
from bot.services.report_excel.checks import BadCell, GoodCell, Mismatch
from bot.services.report_excel.container import (
    MAX_WORKBOOK_BYTES,
    FileProblem,
    check_container,
    name_problem,
)
from bot.services.report_excel.download import TemplateFile, build_file
from bot.services.report_excel.reading import FilledTemplate, SheetProblem
from bot.services.reports.entry import (
    ReportView,
    Save,
    load_view,
    refusal_of,
    store_values,
    view_after_saving,
    writable_report,
)
from bot.services.reports.evidence import DownloadFailed, IncomingFile
from bot.texts import Catalog
from storage import audit
from storage import blocks as blocks_repo
from storage.db import Database

SUBJECT_MAX = 200  # a file name is the person's own text: the audit keeps its start


class Upload(StrEnum):
    SAVED = "saved"  # some values saved (bad cells may be listed too)
    NOTHING = "nothing"  # read, but no value to save: empty, unchanged or bad cells
    NOT_OURS = "not-ours"  # a criterion's question is open and this is no template: evidence
    DOWNLOAD_FAILED = "download-failed"
    TOO_BIG = FileProblem.TOO_BIG.value
    NOT_XLSX = FileProblem.NOT_XLSX.value
    OLD_FORMAT = FileProblem.OLD_FORMAT.value
    NOT_WORKBOOK = FileProblem.NOT_WORKBOOK.value
    ZIP_BOMB = FileProblem.ZIP_BOMB.value
    TOO_COMPLEX = FileProblem.TOO_COMPLEX.value
    MACROS = FileProblem.MACROS.value
    UNREADABLE = SheetProblem.UNREADABLE.value
    NOT_TEMPLATE = SheetProblem.NOT_TEMPLATE.value
    EXTRA_SHEETS = SheetProblem.EXTRA_SHEETS.value
    TOO_MANY_ROWS = SheetProblem.TOO_MANY_ROWS.value
    OTHER_BLOCK = Mismatch.OTHER_BLOCK.value
    OTHER_UNIT = Mismatch.OTHER_UNIT.value
    OTHER_PHASE = Mismatch.OTHER_PHASE.value
    TABLE_CHANGED = Mismatch.TABLE_CHANGED.value
    CLOSED = "closed"
    LOCKED = "locked"


# What a criterion's open question leaves to the evidence handler: any file that is not
# recognisably one of our templates (an .xlsx table attached as evidence).
_NOT_A_TEMPLATE = frozenset({Upload.TOO_BIG, Upload.NOT_XLSX, Upload.OLD_FORMAT,
                             Upload.NOT_WORKBOOK, Upload.ZIP_BOMB, Upload.TOO_COMPLEX,
                             Upload.MACROS,
                             Upload.UNREADABLE, Upload.NOT_TEMPLATE})


@dataclass(frozen=True)
class UploadResult:
    outcome: Upload
    view: ReportView | None = None
    saved: tuple[GoodCell, ...] = ()
    kept: tuple[GoodCell, ...] = ()  # left alone: a colleague changed them after download
    bad: tuple[BadCell, ...] = ()
    template: TemplateFile | None = None  # a fresh template, when the table changed
    block_code: str | None = None  # the block the template names (OTHER_BLOCK)

    @property
    def refused(self) -> bool:
        return self.outcome not in (Upload.SAVED, Upload.NOTHING, Upload.NOT_OURS,
                                    Upload.DOWNLOAD_FAILED)


async def receive_workbook(
    db: Database, clock: Clock, texts: Catalog, *, caller: Caller, file: IncomingFile,
    fetch: Callable[[], Awaitable[bytes]], evidence_open: bool = False,
) -> UploadResult:
    """Check a workbook the caller sent and save its good cells into their unit's report.

    `evidence_open`: a criterion's question is open, so a file that is not a template is
    evidence (NOT_OURS, nothing read, recorded or answered here)."""
    assert caller.block is not None and caller.unit is not None
    early = _before_download(file)
    if early is not None:
        return await _refuse(db, clock, caller, file, early, evidence_open)
    try:
        data = await fetch()
    except DownloadFailed:
        return UploadResult(Upload.DOWNLOAD_FAILED)
    problem = await asyncio.to_thread(check_container, data, file.file_name)
    if problem is not None:
        return await _refuse(db, clock, caller, file, Upload(problem.value), evidence_open,
                             data)
    filled = await asyncio.to_thread(reading.read_template, data)
    if isinstance(filled, SheetProblem):
        return await _refuse(db, clock, caller, file, Upload(filled.value), evidence_open,
                             data)
    result = await _save(db, clock, caller, file, filled, data)
    if result.outcome is Upload.TABLE_CHANGED and result.view is not None:
        fresh = await build_file(result.view, texts, caller.language, clock)
        result = UploadResult(Upload.TABLE_CHANGED, result.view, template=fresh)
    if result.refused:
        await _audit_refusal(db, clock, caller, file, result.outcome, data,
                             filled.identity.block_code)
    return result


def _before_download(file: IncomingFile) -> Upload | None:
    if file.size is not None and file.size > MAX_WORKBOOK_BYTES:
        return Upload.TOO_BIG
    named = name_problem(file.file_name)
    return None if named is None else Upload(named.value)


async def _refuse(
    db: Database, clock: Clock, caller: Caller, file: IncomingFile, outcome: Upload,
    evidence_open: bool, data: bytes | None = None,
) -> UploadResult:
    if evidence_open and outcome in _NOT_A_TEMPLATE:
        return UploadResult(Upload.NOT_OURS)
    await _audit_refusal(db, clock, caller, file, outcome, data)
    return UploadResult(outcome)


async def _audit_refusal(
    db: Database, clock: Clock, caller: Caller, file: IncomingFile, outcome: Upload,
    data: bytes | None, named_block: str | None = None,
) -> None:
    details: dict[str, Any] = {"size": len(data) if data is not None else file.size}
    if data is not None:
        details["sha256"] = hashlib.sha256(data).hexdigest()
    if named_block is not None and outcome is Upload.OTHER_BLOCK:
        details["block"] = named_block[:SUBJECT_MAX]
    assert caller.block is not None and caller.unit is not None
    async with db.transaction() as conn:
        await audit.record_refusal(
            conn, at=clock.now(), action=f"report.excel.{outcome.value}",
            actor_tg_id=caller.tg_user_id, block_id=caller.block.id,
            actor_unit_id=caller.unit.id, subject=(file.file_name or "")[:SUBJECT_MAX],
            after=details,
        )


async def _save(
    db: Database, clock: Clock, caller: Caller, file: IncomingFile, filled: FilledTemplate,
    data: bytes,
) -> UploadResult:
    block, unit = caller.block, caller.unit
    assert block is not None and unit is not None
    identity, now = filled.identity, clock.now()
    async with db.transaction() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        phase = checks.template_phase(identity, tree, unit)
        if isinstance(phase, Mismatch):
            return UploadResult(Upload(phase.value), block_code=identity.block_code)
        view = await load_view(conn, block, unit, phase, now)
        refused = refusal_of(view)
        if refused is not None:
            return UploadResult(Upload.CLOSED if refused is Save.CLOSED else Upload.LOCKED,
                                view)
        if checks.table_changed(identity, view.criteria):
            return UploadResult(Upload.TABLE_CHANGED, view)
        checked = checks.check_cells(view.criteria, filled.cells, identity.values,
                                     caller.language)
        saved: list[GoodCell] = []
        if any(g.touched for g in checked.good):
            report = await writable_report(conn, view, now)
            if report is None:  # submitted by a colleague a moment ago
                return UploadResult(Upload.LOCKED, view)
            view = await view_after_saving(conn, view, report, now)  # values under the lock
            saved = [g for g in checked.good if g.touched and _current(view, g) != g.stored]
            if saved:
                await store_values(conn, view, report, [(g.criterion, g.stored) for g in saved],
                                   caller.tg_user_id, now)
                view = await view_after_saving(conn, view, report, now)
        # Untouched cells whose criterion someone changed after the template was made.
        kept = tuple(g for g in checked.good if not g.touched and _current(view, g) != g.stored)
        await audit.record(
            conn, at=now, action="report.excel", block_id=block.id,
            actor_tg_id=caller.tg_user_id, actor_unit_id=unit.id,
            subject=f"{unit.code}/{view.phase.code}",
            after={"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                   "name": (file.file_name or "")[:SUBJECT_MAX], "saved": len(saved),
                   "bad": len(checked.bad), "kept": len(kept)},
        )
    outcome = Upload.SAVED if saved else Upload.NOTHING
    return UploadResult(outcome, view, tuple(saved), kept, checked.bad)


def _current(view: ReportView, cell: GoodCell) -> str | None:
    value = view.values.get(cell.criterion.id)
    return value.self_value if value else None
