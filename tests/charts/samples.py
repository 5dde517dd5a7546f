"""Chart data as the ranking service would build it (example block, 1/9/15/30 units)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.charts import ProgressChart, ProgressEntry, RankingChart, RankingEntry

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = datetime(2023, 6, 20, 17, 30, tzinfo=TZ)
GROUPS = ("I. Nhiệm vụ chính trị", "II. Phong trào thi đua", "III. Xây dựng Đảng, đoàn thể",
          "Điểm thưởng", "Điểm trừ")
UNITS = (
    ("VPTU", "Văn phòng Tỉnh ủy"),
    ("BTG", "Ban Tuyên giáo Tỉnh ủy"),
    ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy"),
    ("BDV", "Ban Dân vận Tỉnh ủy"),
    ("DUK", "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"),
    ("BTC", "Ban Tổ chức Tỉnh ủy"),
    ("TCT", "Trường Chính trị tỉnh"),
    ("BNC", "Ban Nội chính Tỉnh ủy"),
    ("BBT", "Báo Bình Thuận"),
)


def D(value: str | int | float) -> Decimal:
    return Decimal(str(value))


# Short names as a block file would set them (the others go by their names).
SHORT = {"DUK": "Đảng ủy Khối", "BQLKKT": "BQL các KCN và KKT", "NHNN": "Ngân hàng Nhà nước",
         "UBMTTQ": "Ủy ban MTTQ tỉnh", "SLDTBXH": "Sở LĐ-TB và XH", "VPUB": "Văn phòng UBND tỉnh"}


def short_of(code: str) -> str:
    return SHORT.get(code, "")


def ranked(rows: list[tuple[str, str, dict[str, Decimal], bool]]) -> tuple[RankingEntry, ...]:
    """Sort by total (desc) then code; ties share a rank, as the scoring service does."""
    totals = [(sum(p.values(), Decimal(0)), code, name, p, prov) for code, name, p, prov in rows]
    totals.sort(key=lambda t: (-t[0], t[1]))
    out: list[RankingEntry] = []
    for i, (total, code, name, points, prov) in enumerate(totals):
        rank = out[-1].rank if out and out[-1].total == total else i + 1
        out.append(RankingEntry(code, name, rank, total, points, prov,
                                short_name=short_of(code)))
    return tuple(out)


def nine_units(provisional: bool | None = None) -> RankingChart:
    rows = []
    for i, (code, name) in enumerate(UNITS):
        points = {
            GROUPS[0]: D(50 - i % 4 * 2.5), GROUPS[1]: D(36 - i * 1.5),
            GROUPS[2]: D(10 - i % 3), GROUPS[3]: D(i % 3 * 2), GROUPS[4]: D(-(i % 4)),
        }
        prov = (i % 3 == 0) if provisional is None else provisional
        rows.append((code, name, points, prov))
    return RankingChart("Khối thi đua 6", "Đợt 1", AS_OF, D(100), GROUPS, ranked(rows))


def one_unit() -> RankingChart:
    entry = RankingEntry("VPTU", "Văn phòng Tỉnh ủy", 1, D("87.5"),
                         {GROUPS[0]: D("47.5"), GROUPS[1]: D(30), GROUPS[2]: D(10)}, False)
    return RankingChart("Khối thi đua 6", "Cả năm 2023", AS_OF, D(100), GROUPS, (entry,))


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def many_groups() -> tuple[str, ...]:
    """Ten criterion groups with long titles, then bonus and penalty (a 40-criteria table)."""
    titled = (f"{roman}. Nhóm tiêu chí số {n} về công tác chuyên môn, nghiệp vụ"
              for n, roman in enumerate(ROMAN, start=1))
    return (*titled, "Điểm thưởng", "Điểm trừ")


THIRTY = (
    ("STC", "Sở Tài chính"), ("SKHDT", "Sở Kế hoạch và Đầu tư"), ("STP", "Sở Tư pháp"),
    ("SCT", "Sở Công Thương"), ("SNN", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("SGTVT", "Sở Giao thông vận tải"), ("SXD", "Sở Xây dựng"),
    ("STNMT", "Sở Tài nguyên và Môi trường"), ("STTTT", "Sở Thông tin và Truyền thông"),
    ("SLDTBXH", "Sở Lao động – Thương binh và Xã hội"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SYT", "Sở Y tế"), ("SNV", "Sở Nội vụ"),
    ("TTT", "Thanh tra tỉnh"), ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("BQLKKT", "Ban Quản lý các khu công nghiệp và khu kinh tế ven biển tỉnh Bình Thuận"),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh"), ("BHXH", "Bảo hiểm xã hội tỉnh"),
    ("CTK", "Cục Thống kê tỉnh"), ("CT", "Cục Thuế tỉnh"), ("KBNN", "Kho bạc Nhà nước tỉnh"),
    ("NHNN", "Ngân hàng Nhà nước Việt Nam – Chi nhánh tỉnh Bình Thuận"),
    ("CHQ", "Cục Hải quan tỉnh"), ("LDLD", "Liên đoàn Lao động tỉnh"),
    ("HND", "Hội Nông dân tỉnh"), ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh"),
    ("TDTN", "Tỉnh đoàn"), ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
)


def fifteen_units() -> RankingChart:
    """Fifteen units of the 30-unit list, the example's five groups."""
    rows = []
    for i, (code, name) in enumerate(THIRTY[:15]):
        points = {
            GROUPS[0]: D(48 - i % 5 * 3), GROUPS[1]: D(35 - i * 1.5),
            GROUPS[2]: D(9 - i % 4), GROUPS[3]: D(i % 2 * 3), GROUPS[4]: D(-(i % 3)),
        }
        rows.append((code, name, points, i % 4 == 1))
    return RankingChart("Khối thi đua các sở, ban, ngành tỉnh", "Đợt 1", AS_OF, D(100), GROUPS,
                        ranked(rows))


def thirty_units() -> RankingChart:
    groups = many_groups()
    rows = []
    for i in range(30):
        points = {g: D((i * 7 + j * 3) % 9 + 1) for j, g in enumerate(groups[:10])}
        points[groups[10]] = D(i % 4)
        points[groups[11]] = D(-(i % 5))
        code, name = THIRTY[i]
        rows.append((code, name, points, i % 2 == 0))
    return RankingChart("Khối thi đua các cơ quan Đảng, Mặt trận và đoàn thể tỉnh Bình Thuận",
                        "Đợt 2", AS_OF, D(100), groups, ranked(rows))


def progress(units: int = 9, criteria: int = 3) -> ProgressChart:
    titles = ["Số tiền vận động hỗ trợ cơ sở, người nghèo", "Tỷ lệ văn bản điện tử có chữ ký số",
              "Số đảng viên mới được kết nạp", "Tỷ lệ hồ sơ xử lý đúng hạn",
              "Số lượt tham gia hoạt động chung"] * 8
    crit = tuple((f"TC{j + 1}", title) for j, title in enumerate(titles[:criteria]))
    entries = []
    names = UNITS if units <= len(UNITS) else THIRTY
    for i in range(units):
        code, name = names[i] if i < len(names) else (f"DV{i + 1:02d}", f"Đơn vị số {i + 1}")
        values = {c: D((i * 37 + j * 23) % 160) for j, (c, _) in enumerate(crit) if (i + j) % 5}
        entries.append(ProgressEntry(code, name, values, short_of(code)))
    return ProgressChart("Khối thi đua 6", "Đợt 1", AS_OF, crit, tuple(entries))


def all_met(units: int = 9, criteria: int = 3) -> ProgressChart:
    """Every unit past every target."""
    chart = progress(units, criteria)
    done = tuple(replace(e, percent_by_criterion={c: D(100 + i) for i, (c, _) in
                                                  enumerate(chart.criteria)})
                 for e in chart.entries)
    return replace(chart, entries=done)
