"""Read models over reports: the one-query aggregate ranking and exports read, the
questions reminders ask, and the chair's "appraisal finished" mark per phase."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.blocks import load_tree
from storage.records import Block, Criterion, Unit
from storage.report_records import (
    HANDED_IN_STATES,
    BlockReports,
    ReportData,
    ReportValue,
)
from storage.report_tables import evidence, phase_reviews, report_values, reports
from storage.reports import report_from, value_from
from storage.tables import criteria, phases

_REPORT_COLS = [c.label(f"r_{c.name}") for c in reports.c]
_VALUE_COLS = [c.label(f"v_{c.name}") for c in report_values.c]


def _prefixed(row: Any, prefix: str) -> dict[str, Any]:
    return {k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)}


async def block_reports(
    conn: AsyncConnection, block_id: int, phase_id: int | None = None
) -> BlockReports:
    """Every unit's report, values and evidence counts of a block's phase (or all phases).

    One SELECT: phases, outer-joined to their reports, each report to the block's criteria
    and each (report, criterion) to its value, with the evidence count as a correlated
    subquery (evidence may come before the value is typed) and the phase's review mark
    joined in. Starting from phases keeps a finished phase visible even if nobody reported.
    """
    evidence_count = (
        select(func.count(evidence.c.id))
        .where(
            evidence.c.report_id == reports.c.id,
            evidence.c.criterion_id == criteria.c.id,
        )
        .correlate(reports, criteria)
        .scalar_subquery()
        .label("evidence_count")
    )
    query = (
        select(
            phases.c.id.label("phase_id"),
            phase_reviews.c.id.label("review_id"),
            criteria.c.id.label("criterion_id"),
            *_REPORT_COLS,
            *_VALUE_COLS,
            evidence_count,
        )
        .select_from(phases)
        .outerjoin(phase_reviews, phase_reviews.c.phase_id == phases.c.id)
        .outerjoin(reports, reports.c.phase_id == phases.c.id)
        .outerjoin(criteria, criteria.c.block_id == reports.c.block_id)
        .outerjoin(report_values, and_(
            report_values.c.report_id == reports.c.id,
            report_values.c.criterion_id == criteria.c.id,
        ))
        .where(phases.c.block_id == block_id)
        .order_by(phases.c.position, reports.c.unit_id, criteria.c.position)
    )
    if phase_id is not None:
        query = query.where(phases.c.id == phase_id)
    finished: set[int] = set()
    heads: dict[tuple[int, int], Any] = {}
    values: dict[tuple[int, int], dict[int, ReportValue]] = defaultdict(dict)
    counts: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for row in (await conn.execute(query)).mappings():
        if row["review_id"] is not None:
            finished.add(row["phase_id"])
        if row["r_id"] is None:
            continue
        key = (row["r_unit_id"], row["r_phase_id"])
        heads.setdefault(key, report_from(_prefixed(row, "r_")))
        if row["v_id"] is not None:
            values[key][row["criterion_id"]] = value_from(_prefixed(row, "v_"))
        if row["evidence_count"]:
            counts[key][row["criterion_id"]] = int(row["evidence_count"])
    data = {
        key: ReportData(report=head, values=values[key], evidence_counts=counts[key])
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
