"""Reports and their values: the rows one unit's report for one phase is made of.

Writers that change a report start with `lock_report` (an UPDATE guarded by the state), so
the SQLite write lock is taken before anything is read: two representatives saving at once
are serialised instead of one failing on a stale snapshot, and a state check can never
race with the change it guards.

Every change of a report's state (set_report_fields) and of the chair's points
(set_appraisal) raises its `version`; `lock_report(..., version=)` locks it only while it
is still the version a screen showed, which is how a decision on a stale screen is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.reports.records import Report, ReportState, ReportValue
from storage.reports.tables import report_values, reports

# Records are read by position: the columns in the order of the dataclass fields (no
# mapping built per row).
REPORT_COLUMNS = tuple(reports.c[name] for name in Report.__dataclass_fields__)
VALUE_COLUMNS = tuple(report_values.c[name] for name in ReportValue.__dataclass_fields__)
_STATE_AT = list(Report.__dataclass_fields__).index("state")

# The report form reads these on every press and typed value: built once, SQLAlchemy then
# only binds the values instead of building and hashing a statement per call.
_FIND_REPORT = select(*REPORT_COLUMNS).where(
    reports.c.unit_id == bindparam("unit_id"), reports.c.phase_id == bindparam("phase_id")
)
_VALUES_OF = select(*VALUE_COLUMNS).where(report_values.c.report_id == bindparam("report_id"))

# The write lock and the report as it is now, in one statement (a report of another block
# is left alone: ids come from buttons).
_LOCK_REPORT = (
    update(reports)
    .where(reports.c.id == bindparam("report_id"),
           reports.c.block_id == bindparam("in_block"),
           reports.c.state.in_(bindparam("states", expanding=True)))
    .values(updated_at=bindparam("now"))
    .returning(*REPORT_COLUMNS)
)
# The same, only while the report is still at the version a screen showed (compare-and-set).
_LOCK_REPORT_AT = _LOCK_REPORT.where(reports.c.version == bindparam("shown_version"))
# Every change of the state or of the chair's points makes the report a new version.
_NEXT_VERSION = {"version": reports.c.version + 1}


def report_of(row: Sequence[Any]) -> Report:
    """A Report from a row of REPORT_COLUMNS."""
    fields = list(row)
    fields[_STATE_AT] = ReportState(fields[_STATE_AT])
    return Report(*fields)


async def get_report(conn: AsyncConnection, report_id: int) -> Report | None:
    row = (await conn.execute(select(*REPORT_COLUMNS).where(reports.c.id == report_id))).first()
    return report_of(row) if row else None


async def find_report(conn: AsyncConnection, unit_id: int, phase_id: int) -> Report | None:
    params = {"unit_id": unit_id, "phase_id": phase_id}
    row = (await conn.execute(_FIND_REPORT, params)).first()
    return report_of(row) if row else None


async def ensure_report(
    conn: AsyncConnection, *, block_id: int, unit_id: int, phase_id: int, now: datetime
) -> Report:
    """The unit's report for the phase, created as an empty draft on first use."""
    stmt = sqlite_insert(reports).values(
        block_id=block_id, unit_id=unit_id, phase_id=phase_id, state=ReportState.DRAFT.value,
        late=False, created_at=now, updated_at=now,
    )
    await conn.execute(stmt.on_conflict_do_nothing(index_elements=["unit_id", "phase_id"]))
    found = await find_report(conn, unit_id, phase_id)
    assert found is not None
    return found


async def lock_report(
    conn: AsyncConnection, report_id: int, states: Iterable[ReportState], now: datetime, *,
    block_id: int, version: int | None = None,
) -> Report | None:
    """Take the write lock on a report of the block in one of `states` (and, if `version`
    is given, still at that version); None if it is not (or not the block's)."""
    params: dict[str, Any] = {"report_id": report_id, "in_block": block_id,
                              "states": [s.value for s in states], "now": now}
    statement = _LOCK_REPORT
    if version is not None:
        statement, params["shown_version"] = _LOCK_REPORT_AT, version
    row = (await conn.execute(statement, params)).first()
    return report_of(row) if row else None


async def set_report_fields(conn: AsyncConnection, report_id: int, **values: Any) -> None:
    """Change a report's state and the columns that go with it (submitted_at, ...); the
    report becomes a new version."""
    if isinstance(values.get("state"), ReportState):
        values["state"] = values["state"].value
    await conn.execute(
        update(reports).where(reports.c.id == report_id).values(**values, **_NEXT_VERSION)
    )


async def values_of(conn: AsyncConnection, report_id: int) -> dict[int, ReportValue]:
    rows = await conn.execute(_VALUES_OF, {"report_id": report_id})
    return {value.criterion_id: value for value in (ReportValue(*row) for row in rows)}


async def _upsert_value(
    conn: AsyncConnection, report_id: int, criterion_id: int, values: dict[str, Any]
) -> None:
    stmt = sqlite_insert(report_values).values(
        report_id=report_id, criterion_id=criterion_id, **values
    )
    await conn.execute(
        stmt.on_conflict_do_update(index_elements=["report_id", "criterion_id"], set_=values)
    )


def self_value(
    report_id: int, criterion_id: int, value: str, points: Decimal, by: int, now: datetime
) -> ReportValue:
    """The row the unit's value becomes: an appraisal of the old value no longer applies."""
    return ReportValue(report_id=report_id, criterion_id=criterion_id, self_value=value,
                       self_points=points, updated_by=by, updated_at=now,
                       appraised_points=None, appraisal_reason=None, appraised_by=None,
                       appraised_at=None)


async def set_self_values(conn: AsyncConnection, rows: Sequence[ReportValue]) -> None:
    """Save the unit's values (self_value rows): one prebuilt upsert executed for every row
    (cheaper than building a multi-row statement, and its `excluded` alias, per save)."""
    if rows:
        await conn.execute(_UPSERT_SELF, [{name: getattr(row, name) for name in _VALUE_FIELDS}
                                          for row in rows])


def _upsert_self() -> Any:
    stmt = sqlite_insert(report_values)
    mine = ("report_id", "criterion_id")
    return stmt.on_conflict_do_update(
        index_elements=list(mine),
        set_={name: stmt.excluded[name] for name in _VALUE_FIELDS if name not in mine},
    )


_VALUE_FIELDS = tuple(ReportValue.__dataclass_fields__)
_UPSERT_SELF = _upsert_self()


async def set_self_points(
    conn: AsyncConnection, report_id: int, criterion_id: int, points: Decimal
) -> None:
    await conn.execute(
        update(report_values)
        .where(
            report_values.c.report_id == report_id,
            report_values.c.criterion_id == criterion_id,
        )
        .values(self_points=points)
    )


async def set_appraisal(
    conn: AsyncConnection,
    *,
    report_id: int,
    criterion_id: int,
    points: Decimal,
    reason: str | None,
    by: int,
    now: datetime,
) -> None:
    """The chair's points for one criterion; the report becomes a new version."""
    await _upsert_value(conn, report_id, criterion_id, {
        "appraised_points": points, "appraisal_reason": reason, "appraised_by": by,
        "appraised_at": now,
    })
    await conn.execute(update(reports).where(reports.c.id == report_id).values(_NEXT_VERSION))


async def accept_remaining(
    conn: AsyncConnection, report_id: int, *, by: int, now: datetime
) -> int:
    """Appraise every value the chair has not touched at the unit's own points."""
    result = await conn.execute(
        update(report_values)
        .where(
            report_values.c.report_id == report_id,
            report_values.c.appraised_points.is_(None),
        )
        .values(
            appraised_points=report_values.c.self_points, appraised_by=by, appraised_at=now
        )
    )
    return int(result.rowcount)
