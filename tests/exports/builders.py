"""A 15-unit block in memory (the example block's criteria, long unit names, every kind of
row: appraised, provisional, late, without any report) and its scoring-table data, with a
covenant signed by most units: the workbooks printed at the size a province's block has."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bot.blockfile import load_block_file
from bot.services.covenant.record import SignatureRow, SigningRecord
from bot.services.ranking.export import ExportData, ValueRow
from bot.services.ranking.rank import Period, build_ranking
from bot.services.ranking.scoreboard import build_scoreboard
from storage.covenant.records import CovenantVersion
from storage.records import Block, BlockTree, Criterion, Phase, Unit
from storage.reports.records import BlockReports, Report, ReportData, ReportState, ReportValue

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"
NOW = datetime(2023, 12, 15, 2, 0, tzinfo=UTC)  # 09:00 in Hồ Chí Minh City
NAMES = (
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "chair"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "vice_chair"),
    ("STC", "Sở Tài chính", "member"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "member"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "member"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "member"),
    ("SXD", "Sở Xây dựng", "member"),
    ("SGTVT", "Sở Giao thông vận tải", "member"),
    ("SCT", "Sở Công Thương", "member"),
    ("SYT", "Sở Y tế", "member"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "member"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "member"),
    ("BQLKKT", "Ban Quản lý các khu công nghiệp và khu kinh tế tỉnh", "member"),
    ("STTTT", "Sở Thông tin và Truyền thông", "member"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "member"),
)


def _tree(settings: dict[str, object], *, own_groups: bool = False,
          lang: str = "vi") -> BlockTree:
    spec = load_block_file(EXAMPLE)
    block = Block(1, "KTD3-2023", "Khối thi đua các sở, ban, ngành 3", "Bình Thuận", 2023,
                  None, "Asia/Ho_Chi_Minh", lang, settings, None)
    units = tuple(Unit(i, 1, code, name, role, None, {}, i, True)
                  for i, (code, name, role) in enumerate(NAMES, start=1))
    phases = tuple(
        Phase(p.position if hasattr(p, "position") else i, 1, p.code, p.name, p.start, p.end,
              p.theme, p.report_due, i)
        for i, p in enumerate(spec.phases, start=1))
    criteria = tuple(
        Criterion(i, 1, c.code, c.title[:30] if own_groups else c.group, c.title, c.kind,
                  c.unit, c.target, c.max_points, c.bonus, c.penalty, i)
        for i, c in enumerate(spec.criteria, start=1))
    return BlockTree(block, units, phases, criteria)


def _value(criterion: Criterion, n: int, appraised: bool) -> ReportValue:
    """A plausible figure and points for unit n; the appraisal lowers some points."""
    kind, top = criterion.kind, criterion.max_points
    if kind == "number":
        raw, points = str(80_000_000 + n * 7_500_000), min(top, top * (8 + n % 4) / 10)
    elif kind == "percent":
        raw, points = str(70 + n), min(top, top * Decimal(70 + n) / 90)
    elif kind == "yesno":
        raw, points = ("yes", top) if n % 5 else ("no", Decimal(0))
    elif kind == "text":
        raw, points = "Mô hình «Dân vận khéo» được nhân rộng ở các phòng, ban.", Decimal(0)
    else:
        points = top - Decimal(n % 4) if not (criterion.bonus or criterion.penalty) else \
            Decimal(n % 3)
        raw = str(points)
    points = points.quantize(Decimal("0.01"))
    lowered = appraised and n % 3 == 0 and points >= 1 and not criterion.penalty
    return ReportValue(
        report_id=n, criterion_id=criterion.id, self_value=raw, self_points=points,
        updated_by=None, updated_at=None,
        appraised_points=points - Decimal("0.5") if lowered else (points if appraised
                                                                   else None),
        appraisal_reason="Chưa đủ minh chứng" if lowered else None, appraised_by=None,
        appraised_at=None)


def fifteen_units(*, own_groups: bool = False, lang: str = "vi",
                  **settings: object) -> ExportData:
    """Phase 1 appraised for all but two units (one late, one never reported); phase 2
    submitted by most, appraised by none (provisional). `own_groups`: every criterion its
    own group (too many for pairs of columns on one page)."""
    tree = _tree(dict(settings), own_groups=own_groups, lang=lang)
    data = {}
    for unit in tree.units:
        n = unit.id
        for phase in tree.phases:
            if unit.code == "SKHCN" or (phase.position == 2 and n % 7 == 0):
                continue  # never reported
            appraised = phase.position == 1 and n != 4
            state = ReportState.APPRAISED if appraised else ReportState.SUBMITTED
            late = (phase.position == 1 and n == 9) or (phase.position == 2 and n == 2)
            report = Report(n * 10 + phase.position, 1, n, phase.id, state, late, NOW, NOW,
                            1, None, None, None, None, None, NOW, NOW)
            values = {c.id: _value(c, n, appraised) for c in tree.criteria}
            data[(n, phase.id)] = ReportData(report, values, {c.id: n % 3 for c in
                                                              tree.criteria})
    board = build_scoreboard(tree, BlockReports(data))
    values = []
    for phase in tree.phases:
        for unit in tree.units:
            found = data.get((unit.id, phase.id))
            for criterion in tree.criteria:
                value = found.values.get(criterion.id) if found else None
                values.append(ValueRow(
                    phase=phase, unit=unit, criterion=criterion, value=value,
                    target=criterion.target, percent=None,
                    evidence=found.evidence_counts.get(criterion.id, 0) if found else 0,
                    report_status=board.of(unit.id, phase.id).status))
    record = signing(tree)
    return ExportData(
        tree=tree, exported_at=NOW,
        phases=tuple(build_ranking(board, Period(p), now=NOW) for p in tree.phases),
        year=build_ranking(board, Period(None), now=NOW), values=tuple(values),
        signatures=record.current, covenant=record.version)


def signing(tree: BlockTree | None = None) -> SigningRecord:
    """The covenant of the 15-unit block, signed by all but two units."""
    tree = tree or _tree({})
    text = "Giao ước thi đua năm 2023\n" + "\n".join(
        f"{i}. Cam kết thứ {i}: hoàn thành xuất sắc nhiệm vụ được giao." for i in range(1, 6))
    published = datetime(2023, 3, 1, 2, 0, tzinfo=UTC)
    version = CovenantVersion(1, 1, 1, "vi", "Giao ước thi đua năm 2023", {}, text,
                              "ab" * 32, published, None, "")
    rows = []
    for unit in tree.units:
        if unit.id in (6, 15):
            rows.append(SignatureRow(unit.code, unit.name, None, None, None, 1, None))
            continue
        signed = published + timedelta(days=unit.id, hours=unit.id % 5)
        own = text + f"\n\nĐơn vị: {unit.name}"
        rows.append(SignatureRow(unit.code, unit.name, f"Nguyễn Văn {chr(64 + unit.id)}",
                                 9_000_000 + unit.id, signed, 1,
                                 f"{unit.id:02d}" + "c3" * 31, False, own))
    history = tuple(r for r in rows if r.signed_at is not None)
    return SigningRecord(tree.block, version, tuple(rows), history, (version,),
                         len(rows) - 2, 0, chair=tree.units[0].name)


__all__ = ["NOW", "date", "fifteen_units", "signing"]
