"""Hand-built blocks and reports for the pure ranking tests (no database)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from bot.services.ranking.scoreboard import Scoreboard, build_scoreboard
from storage.records import Block, BlockTree, Criterion, Phase, Unit
from storage.reports.records import BlockReports, Report, ReportData, ReportState, ReportValue

NOW = datetime(2023, 7, 1, 3, 0, tzinfo=UTC)


def block(**settings: object) -> Block:
    return Block(id=1, code="K", name="Khối thi đua 6", province=None, year=2023, theme=None,
                 timezone="Asia/Ho_Chi_Minh", language="vi", settings=dict(settings),
                 group_chat_id=None)


def unit(uid: int, code: str) -> Unit:
    return Unit(id=uid, block_id=1, code=code, name=f"Đơn vị {code}", role="member",
                slogan=None, targets={}, position=uid, active=True)


def phase(pid: int, code: str, start: date, end: date) -> Phase:
    due = datetime(end.year, end.month, end.day, 10, 0, tzinfo=UTC)
    return Phase(id=pid, block_id=1, code=code, name=f"Đợt {pid}", start=start, end=end,
                 theme=None, report_due=due, position=pid)


def criterion(cid: int, max_points: int, *, group: str | None, bonus: bool = False,
              penalty: bool = False, kind: str = "score") -> Criterion:
    return Criterion(id=cid, block_id=1, code=f"C{cid}", group_name=group, title=f"Tiêu chí {cid}",
                     kind=kind, measure=None, target=None, max_points=Decimal(max_points),
                     bonus=bonus, penalty=penalty, position=cid)


CRITERIA = (
    criterion(1, 60, group="I. Nhiệm vụ"),
    criterion(2, 40, group="II. Phong trào"),
    criterion(3, 5, group="Điểm thưởng", bonus=True),
    criterion(4, 5, group="Điểm trừ", penalty=True),
)
PHASES = (
    phase(1, "DOT1", date(2023, 1, 1), date(2023, 6, 30)),
    phase(2, "DOT2", date(2023, 7, 1), date(2023, 12, 31)),
)


def tree(codes: Sequence[str], **settings: object) -> BlockTree:
    units = tuple(unit(i, code) for i, code in enumerate(codes, start=1))
    return BlockTree(block(**settings), units, PHASES, CRITERIA)


def value(cid: int, self_points: str | None, appraised: str | None = None) -> ReportValue:
    return ReportValue(
        report_id=0, criterion_id=cid, self_value=self_points,
        self_points=Decimal(self_points) if self_points is not None else None,
        updated_by=None, updated_at=None,
        appraised_points=Decimal(appraised) if appraised is not None else None,
        appraisal_reason=None, appraised_by=None, appraised_at=None,
    )


def report(uid: int, pid: int, state: ReportState = ReportState.SUBMITTED,
           late: bool = False) -> Report:
    return Report(id=uid * 10 + pid, block_id=1, unit_id=uid, phase_id=pid, state=state,
                  late=late, first_submitted_at=NOW, submitted_at=NOW, submitted_by=1,
                  returned_at=None, returned_by=None, return_reason=None, appraised_at=None,
                  appraised_by=None, created_at=NOW, updated_at=NOW)


Points = Mapping[int, tuple[str, str | None] | str]


def board(
    t: BlockTree, reports: Mapping[tuple[str, str], Points], *,
    appraised: Sequence[tuple[str, str]] = (), late: Sequence[tuple[str, str]] = (),
    finished: Sequence[str] = (),
) -> Scoreboard:
    """reports: (unit code, phase code) -> {criterion id: self points or (self, appraised)}."""
    units = {u.code: u for u in t.units}
    phases = {p.code: p for p in t.phases}
    data = {}
    for (ucode, pcode), points in reports.items():
        uid, pid = units[ucode].id, phases[pcode].id
        state = ReportState.APPRAISED if (ucode, pcode) in appraised else ReportState.SUBMITTED
        values = {}
        for cid, given in points.items():
            self_p, appr = given if isinstance(given, tuple) else (given, None)
            values[cid] = value(cid, self_p, appr)
        data[(uid, pid)] = ReportData(report(uid, pid, state, (ucode, pcode) in late), values)
    finished_ids = frozenset(phases[code].id for code in finished)
    return build_scoreboard(t, BlockReports(data, finished_ids))
