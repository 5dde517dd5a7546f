"""The files people send in the demo: a photo as evidence and PDF documents (a record of a
charity event, the chair's plan). Drawn with matplotlib (already a dependency; its DejaVu
font covers Vietnamese), off the event loop, once per run."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

PHOTO_SIZE = (9.6, 6.4)  # inches at 100 dpi: a phone photo, small enough to embed
A4 = (8.27, 11.69)


@dataclass(frozen=True)
class Media:
    photo: bytes  # JPEG
    record_pdf: bytes  # "Biên bản" of a charity event
    plan_pdf: bytes  # the chair's plan attached to a notice


def _photo(title: str, subtitle: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    fig = Figure(figsize=PHOTO_SIZE, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 96)
    ax.set_ylim(0, 64)
    ax.axis("off")
    ax.add_patch(Rectangle((0, 24), 96, 40, color="#9cc9e8"))  # sky
    ax.add_patch(Rectangle((0, 0), 96, 24, color="#c9b48a"))  # yard
    ax.add_patch(Circle((84, 54), 5, color="#ffd54f"))
    ax.add_patch(Rectangle((10, 30), 76, 16, color="#c62828"))  # the banner
    ax.text(48, 40.5, title, ha="center", va="center", color="#ffeb3b", fontsize=19,
            weight="bold")
    ax.text(48, 34, subtitle, ha="center", va="center", color="white", fontsize=12)
    for n, x in enumerate(range(8, 92, 7)):  # people in a row, gifts in front
        ax.add_patch(Circle((x, 20), 2.2, color="#5d4037"))
        ax.add_patch(Rectangle((x - 2.4, 6), 4.8, 12, color=("#1565c0", "#2e7d32")[n % 2]))
        ax.add_patch(Rectangle((x - 1.8, 2), 3.6, 3.6, color="#ef6c00"))
    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg", pil_kwargs={"quality": 82})
    return buf.getvalue()


def _pdf(heading: str, title: str, lines: list[str]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4, dpi=72)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.94, heading, ha="center", fontsize=11, weight="bold")
    fig.text(0.5, 0.86, title, ha="center", fontsize=15, weight="bold")
    y = 0.8
    for line in lines:
        fig.text(0.1, y, line, fontsize=11, wrap=True)
        y -= 0.035
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf", metadata={"Creator": "thidua-bot demo"})
    return buf.getvalue()


def draw(block_name: str, year: int) -> Media:
    photo = _photo("TRAO QUÀ HỖ TRỢ HỘ NGHÈO", f"{block_name} – năm {year}")
    record = _pdf(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc",
        "BIÊN BẢN TRAO QUÀ HỖ TRỢ HỘ NGHÈO",
        ["Hôm nay, tại Ủy ban nhân dân xã Hàm Cần, huyện Hàm Thuận Nam,",
         "đơn vị đã trao 120 suất quà cho các hộ nghèo, hộ cận nghèo.",
         "Tổng giá trị: 250.000.000 đồng (bằng chữ: hai trăm năm mươi triệu đồng),",
         "gồm tiền mặt và nhu yếu phẩm, do cán bộ, công chức, viên chức",
         "và người lao động của đơn vị đóng góp.",
         "", "Biên bản được lập thành 02 bản có giá trị như nhau."],
    )
    plan = _pdf(
        block_name.upper(),
        "KẾ HOẠCH TỔ CHỨC HỘI THAO KHỐI THI ĐUA",
        ["1. Thời gian: 07 giờ 30, thứ Bảy tuần cuối tháng 9.",
         "2. Địa điểm: Nhà thi đấu tỉnh.",
         "3. Nội dung: bóng chuyền nam, cầu lông, kéo co, tiếp sức.",
         "4. Mỗi đơn vị cử đội tham gia ít nhất 02 nội dung;",
         "   đăng ký danh sách vận động viên trước ngày 15/9.",
         "5. Kinh phí: các đơn vị tự đảm bảo cho đội của mình."],
    )
    return Media(photo=photo, record_pdf=record, plan_pdf=plan)


async def draw_off_loop(block_name: str, year: int) -> Media:
    return await asyncio.to_thread(draw, block_name, year)
