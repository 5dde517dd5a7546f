"""Text never overflows its place: cut with an ellipsis or wrapped to the room given."""

from __future__ import annotations

from bot.charts.draw import ELLIPSIS, Sheet, clean, font


def test_fit_cuts_long_text_with_an_ellipsis() -> None:
    sheet, prop = Sheet(), font(12)
    name = "Ban Quản lý các khu công nghiệp và khu kinh tế ven biển tỉnh Bình Thuận"
    cut = sheet.fit(name, 150, prop)  # points
    assert cut.endswith(ELLIPSIS) and name.startswith(cut[:-1])
    assert sheet.width(cut, prop) <= 150
    assert sheet.fit("Sở Y tế", 150, prop) == "Sở Y tế"


def test_wrap_keeps_lines_within_the_room_and_the_line_count() -> None:
    sheet, prop = Sheet(), font(11.5, "bold")
    title = "Số tiền vận động hỗ trợ cơ sở, người nghèo trên địa bàn các huyện miền núi"
    lines = sheet.wrap(title, 115, prop, 3)
    assert len(lines) == 3 and lines[-1].endswith(ELLIPSIS)
    assert all(sheet.width(line, prop) <= 115 for line in lines)
    assert sheet.wrap("Tỷ lệ", 115, prop, 3) == ["Tỷ lệ"]


def test_a_long_title_breaks_after_its_dash() -> None:
    from bot.charts.draw import plan_title

    plan = plan_title(Sheet(), "Bảng xếp hạng thi đua – Khối thi đua 6", "Đợt 1", "TẠM TÍNH")
    assert plan.lines == ("Bảng xếp hạng thi đua –", "Khối thi đua 6")
    assert plan_title(Sheet(), "Khối 6", "Đợt 1", None).lines == ("Khối 6",)


def test_clean_keeps_vietnamese_and_replaces_what_the_font_lacks() -> None:
    assert clean("Ủy ban Kiểm tra\nTỉnh ủy") == "Ủy ban Kiểm tra Tỉnh ủy"
    assert clean("Đoàn 🎉 thanh niên") == "Đoàn ? thanh niên"
