"""The use case behind «📥 Mẫu Excel» and `/report excel`: the unit's template for a phase,
filled with what the report holds now."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum

from bot.services.clock import Clock
from bot.services.report_excel.template import file_name, template_bytes
from bot.services.reports.entry import ReportView, Save, load_view, pick_phase, refusal_of
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, Unit


class TemplateOutcome(StrEnum):
    READY = "ready"
    NO_PHASE = "no-phase"  # no phase has started yet
    UNKNOWN_PHASE = "unknown-phase"  # `/report excel DOT9`, or a button of another block
    CLOSED = "closed"  # not started, or past due in a block refusing late reports
    LOCKED = "locked"  # submitted or appraised


@dataclass(frozen=True)
class TemplateFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class TemplateResult:
    outcome: TemplateOutcome
    view: ReportView | None = None
    file: TemplateFile | None = None


async def build_file(view: ReportView, texts: Catalog, lang: str, clock: Clock) -> TemplateFile:
    """The template of a view, written off the event loop."""
    data = await asyncio.to_thread(template_bytes, view, texts, lang, clock.now())
    return TemplateFile(file_name(view), data)


async def make_template(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, unit: Unit, lang: str,
    phase_code: str | None = None, phase_id: int | None = None,
) -> TemplateResult:
    """The template of the phase given by id (a button), by code (`/report excel DOT2`),
    else of the current phase (bot.services.reports.entry.pick_phase)."""
    now = clock.now()
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
        if phase_id is not None:
            phase = next((p for p in tree.phases if p.id == phase_id), None)
        else:
            phase = pick_phase(tree, now, phase_code)
        if phase is None:
            unknown = phase_id is not None or phase_code is not None
            return TemplateResult(TemplateOutcome.UNKNOWN_PHASE if unknown
                                  else TemplateOutcome.NO_PHASE)
        view = await load_view(conn, block, unit, phase, now)
    refused = refusal_of(view)
    if refused is not None:
        closed = refused is Save.CLOSED
        return TemplateResult(TemplateOutcome.CLOSED if closed else TemplateOutcome.LOCKED,
                              view)
    return TemplateResult(TemplateOutcome.READY, view, await build_file(view, texts, lang,
                                                                        clock))
