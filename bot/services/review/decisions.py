"""The last change of a report, as a chair is told it when their screen was stale: the
unit submitted it (again), a chair accepted or returned it, or changed one criterion's
points. Read from the report's own stamps (submitted_at/by, appraised_at/by,
returned_at/by and each criterion's appraised_at/by), so it needs no history of its own.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.audit import Decision, decision
from bot.services.reports.entry import ReportView
from storage.reports.records import ReportState


class Decided(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    POINTS = "points"  # the chair's points of one criterion (`detail`: its title)


# On equal times the state change is what happened: accepting stamps the criteria nobody
# adjusted at the same moment.
_STATE_FIRST = {Decided.ACCEPTED: 2, Decided.RETURNED: 2, Decided.POINTS: 1,
                Decided.SUBMITTED: 0}


def last_change(view: ReportView) -> tuple[Decided, datetime, int | None, str | None] | None:
    """(what, when, by whom, the criterion's title) of the report's newest change."""
    report = view.report
    if report is None:
        return None
    found: list[tuple[datetime, int, Decided, int | None, str | None]] = []

    def add(at: datetime | None, what: Decided, by: int | None, title: str | None = None
            ) -> None:
        if at is not None:
            found.append((at, _STATE_FIRST[what], what, by, title))

    add(report.submitted_at, Decided.SUBMITTED, report.submitted_by)
    if report.state is ReportState.APPRAISED:
        add(report.appraised_at, Decided.ACCEPTED, report.appraised_by)
    if report.state is ReportState.RETURNED:
        add(report.returned_at, Decided.RETURNED, report.returned_by)
    for criterion in view.criteria:
        value = view.values.get(criterion.id)
        if value is not None and value.appraised_points is not None:
            add(value.appraised_at, Decided.POINTS, value.appraised_by, criterion.title)
    if not found:
        return None
    at, _, what, by, title = max(found, key=lambda change: (change[0], change[1]))
    return what, at, by, title


async def last_decision(conn: AsyncConnection, view: ReportView) -> Decision | None:
    """The report's newest change with the name and unit of whoever made it."""
    change = last_change(view)
    if change is None:
        return None
    what, at, by, title = change
    return await decision(conn, view.tree.block.id, what.value, at, by, title)
