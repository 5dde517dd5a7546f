"""Read models over reports: the one-query aggregate ranking and exports read, the
questions reminders ask, and the chair's "appraisal finished" mark per phase."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    bindparam,
    func,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.blocks import load_tree
from storage.records import Block, Criterion, Unit
from storage.reports import REPORT_COLUMNS, VALUE_COLUMNS, report_of
from storage.reports.records import (
    HANDED_IN_STATES,
    BlockReports,
    Report,
    ReportData,
    ReportValue,
)
from storage.reports.tables import evidence, phase_reviews, report_values, reports
from storage.tables import phases


# Values and evidence counts come back in one statement: the values (n NULL) followed by the
# evidence counts per criterion (NULL value columns). Evidence may come before a value is
# typed, so neither can be joined to the other.
def _content(*scope: ColumnElement[bool]) -> CompoundSelect[Any]:
    values = (
        select(reports.c.unit_id, reports.c.phase_id, null().label("n"), *VALUE_COLUMNS)
        .join(reports, reports.c.id == report_values.c.report_id)
        .where(*scope)
    )
    blanks = [null()] * (len(VALUE_COLUMNS) - 2)
    counts = (
        select(reports.c.unit_id, reports.c.phase_id, func.count(evidence.c.id),
               evidence.c.report_id, evidence.c.criterion_id, *blanks)
        .join(reports, reports.c.id == evidence.c.report_id)
        .where(*scope)
        .group_by(evidence.c.report_id, evidence.c.criterion_id)
    )
    return union_all(values, counts)


Key = tuple[int, int]  # (unit_id, phase_id)


async def _read_content(
    conn: AsyncConnection, query: CompoundSelect[Any], params: dict[str, Any]
) -> tuple[dict[Key, dict[int, ReportValue]], dict[Key, dict[int, int]]]:
    values: dict[Key, dict[int, ReportValue]] = defaultdict(dict)
    counts: dict[Key, dict[int, int]] = defaultdict(dict)
    for row in await conn.execute(query, params):
        if row[2] is None:
            values[row[0], row[1]][row[4]] = ReportValue(*row[3:])
        else:
            counts[row[0], row[1]][row[4]] = int(row[2])
    return values, counts


_REPORT_CONTENT = _content(reports.c.id == bindparam("report_id"))


async def report_content(
    conn: AsyncConnection, report: Report
) -> tuple[dict[int, ReportValue], dict[int, int]]:
    """One report's values and evidence counts by criterion id."""
    values, counts = await _read_content(conn, _REPORT_CONTENT, {"report_id": report.id})
    key = (report.unit_id, report.phase_id)
    return values.get(key, {}), counts.get(key, {})


def _block_queries(by_phase: bool) -> tuple[Select[Any], CompoundSelect[Any]]:
    scope = [reports.c.block_id == bindparam("block_id")]
    heads = (
        select(phases.c.id, phase_reviews.c.id, *REPORT_COLUMNS)
        .select_from(phases)
        .outerjoin(phase_reviews, phase_reviews.c.phase_id == phases.c.id)
        .outerjoin(reports, reports.c.phase_id == phases.c.id)
        .where(phases.c.block_id == bindparam("block_id"))
        .order_by(phases.c.position, reports.c.unit_id)
    )
    if by_phase:
        scope.append(reports.c.phase_id == bindparam("phase_id"))
        heads = heads.where(phases.c.id == bindparam("phase_id"))
    return heads, _content(*scope)


_BLOCK_QUERIES = {by_phase: _block_queries(by_phase) for by_phase in (False, True)}


async def block_reports(
    conn: AsyncConnection, block_id: int, phase_id: int | None = None
) -> BlockReports:
    """Every unit's report, values and evidence counts of a block's phase (or all phases).

    Two SELECTs: the phases outer-joined to their review mark and their reports (starting
    from phases keeps a finished phase visible even if nobody reported), then the values
    and evidence counts of those reports (_content). Rows are read by position: a block's
    phase is a few hundred values, and a mapping per row cost more than the query.
    """
    heads_query, content_query = _BLOCK_QUERIES[phase_id is not None]
    params = {"block_id": block_id, "phase_id": phase_id}
    finished: set[int] = set()
    heads: dict[Key, Report] = {}
    for row in await conn.execute(heads_query, params):
        if row[1] is not None:
            finished.add(row[0])
        if row[2] is not None:
            head = report_of(row[2:])
            heads[head.unit_id, head.phase_id] = head
    values, counts = await _read_content(conn, content_query, params)
    data = {
        key: ReportData(report=head, values=values.get(key, {}),
                        evidence_counts=counts.get(key, {}))
        for key, head in heads.items()
    }
    return BlockReports(reports=data, finished_phases=frozenset(finished))


async def units_without_submission(
    conn: AsyncConnection, block: Block, phase_id: int
) -> list[Unit]:
    """Active units whose report for the phase is not in the chair's hands (for reminders):
    no report, a draft, or a report returned for correction."""
    query = select(reports.c.unit_id).where(
        reports.c.phase_id == phase_id,
        reports.c.state.in_([s.value for s in HANDED_IN_STATES]),
    )
    handed_in = {row[0] for row in (await conn.execute(query)).all()}
    tree = await load_tree(conn, block)
    return [u for u in tree.units if u.id not in handed_in]


async def empty_criteria(
    conn: AsyncConnection, block: Block, unit_id: int, phase_id: int
) -> list[Criterion]:
    """Active criteria without a value in the unit's report for the phase, in table order
    (all of them when the unit has not started). Which are required is the service's call."""
    query = (
        select(report_values.c.criterion_id)
        .join(reports, reports.c.id == report_values.c.report_id)
        .where(
            reports.c.unit_id == unit_id,
            reports.c.phase_id == phase_id,
            report_values.c.self_value.is_not(None),
        )
    )
    filled = {row[0] for row in (await conn.execute(query)).all()}
    tree = await load_tree(conn, block)
    return [c for c in tree.criteria if c.id not in filled]


async def mark_review_finished(
    conn: AsyncConnection, *, block_id: int, phase_id: int, by: int, now: datetime
) -> bool:
    """Record the chair's end of appraisal; False if it was already recorded."""
    stmt = sqlite_insert(phase_reviews).values(
        block_id=block_id, phase_id=phase_id, finished_at=now, finished_by=by
    )
    result = await conn.execute(stmt.on_conflict_do_nothing(index_elements=["phase_id"]))
    return bool(result.rowcount)


async def review_finished(conn: AsyncConnection, phase_id: int) -> bool:
    query = select(phase_reviews.c.id).where(phase_reviews.c.phase_id == phase_id)
    return (await conn.execute(query)).first() is not None
