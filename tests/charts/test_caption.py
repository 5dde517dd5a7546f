"""Captions: rank, code and total per line, ties share a rank, provisional marked, HTML
safe, and never over Telegram's 1024 characters."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.charts import CAPTION_LIMIT, RankingChart, RankingEntry, caption_for
from tests.charts import samples


def entry(code: str, rank: int, total: str, provisional: bool = False,
          name: str | None = None) -> RankingEntry:
    return RankingEntry(code, name or f"Đơn vị {code}", rank, Decimal(total), {}, provisional)


def chart_of(*entries: RankingEntry, lang: str = "vi") -> RankingChart:
    return RankingChart("Khối thi đua 6", "Đợt 1", samples.AS_OF, Decimal(100), (), entries,
                        lang)


def test_ties_share_a_rank_and_keep_the_given_order() -> None:
    text = caption_for(chart_of(entry("BTG", 1, "95.5"), entry("VPTU", 1, "95.5"),
                                entry("BDV", 3, "90")))
    lines = text.splitlines()
    assert lines[0] == "<b>Bảng xếp hạng thi đua – Khối thi đua 6</b>"
    assert lines[1] == "Đợt 1 · số liệu đến ngày 20/06/2023"
    rows = [line for line in lines if line[:1].isdigit()]
    assert rows == [
        "1. <b>BTG</b> – Đơn vị BTG: 95,5 điểm",
        "1. <b>VPTU</b> – Đơn vị VPTU: 95,5 điểm",
        "3. <b>BDV</b> – Đơn vị BDV: 90 điểm",
    ]
    assert "Tạm tính" not in text


def test_all_provisional_is_said_once() -> None:
    text = caption_for(chart_of(entry("A", 1, "50", True), entry("B", 2, "40", True)))
    assert "Tạm tính: điểm chưa được Khối trưởng thẩm định." in text
    assert "*" not in text


def test_some_provisional_are_starred_with_a_note() -> None:
    text = caption_for(chart_of(entry("A", 1, "50"), entry("B", 2, "40", True)))
    assert "1. <b>A</b> – Đơn vị A: 50 điểm\n" in text
    assert "2. <b>B</b> – Đơn vị B: 40 điểm*" in text
    assert text.endswith("<i>(*) Tạm tính: điểm chưa được Khối trưởng thẩm định.</i>")


def test_names_are_html_escaped() -> None:
    text = caption_for(replace(chart_of(entry("A&B", 1, "1", name="Hội <Nông> dân & Co")),
                               block_name="Khối <6>"))
    assert "<b>A&amp;B</b> – Hội &lt;Nông&gt; dân &amp; Co" in text
    assert "Khối &lt;6&gt;" in text


def test_thirty_units_fit_with_codes_only_when_names_do_not() -> None:
    chart = samples.thirty_units()
    text = caption_for(chart)
    assert len(text) <= CAPTION_LIMIT
    # 30 long names cannot fit in 1024 characters: every unit is still listed, by code.
    assert all(f"<b>{e.unit_code}</b>:" in text for e in chart.entries)
    assert "Sở Tài chính" not in text


def test_nine_units_keep_their_full_names() -> None:
    text = caption_for(samples.nine_units())
    assert "<b>VPTU</b> – Văn phòng Tỉnh ủy: " in text
    assert len(text) <= CAPTION_LIMIT


def test_too_many_units_are_cut_with_a_count() -> None:
    entries = [entry(f"DONVI{i:03d}", i + 1, str(200 - i)) for i in range(120)]
    text = caption_for(chart_of(*entries))
    assert len(text) <= CAPTION_LIMIT
    assert "đơn vị khác (xem trên biểu đồ)." in text
    # every score appraised: the head says the result is official, then a blank line
    assert text.splitlines()[2] == "<i>Kết quả chính thức (đã thẩm định).</i>"
    assert text.splitlines()[3] == ""  # blank line between the head and the list


def test_absurd_block_name_still_fits() -> None:
    text = caption_for(replace(chart_of(entry("A", 1, "1")), block_name="Khối & " * 400))
    assert len(text) <= CAPTION_LIMIT
    assert "<b>" not in text and "&amp;" in text


def test_english_caption() -> None:
    text = caption_for(chart_of(entry("A", 1, "1234.5", True), lang="en"))
    assert "1. <b>A</b> – Đơn vị A: 1,234.5 points" in text
    assert "Provisional" in text


def test_empty_ranking_caption() -> None:
    assert "Chưa có số liệu để xếp hạng." in caption_for(chart_of())


def test_progress_caption_names_units_that_reached_every_target() -> None:
    chart = samples.progress(9, 3)
    done = replace(chart.entries[0], percent_by_criterion={c: Decimal(100) for c, _ in
                                                            chart.criteria})
    text = caption_for(replace(chart, entries=(done, *chart.entries[1:])))
    assert text.startswith("<b>Mức độ hoàn thành chỉ tiêu – Khối thi đua 6</b>")
    assert "Đã đạt toàn bộ chỉ tiêu: Văn phòng Tỉnh ủy." in text  # names, not codes
    assert len(text) <= CAPTION_LIMIT


def test_progress_caption_counts_who_is_behind_and_never_overflows() -> None:
    text = caption_for(samples.progress(9, 3))
    assert "Còn 9/9 đơn vị chưa đạt đủ chỉ tiêu." in text
    everyone = samples.all_met(30, 3)
    long = replace(everyone, entries=tuple(
        replace(e, short_name=f"Đơn vị có tên rất dài số {i:02d}")
        for i, e in enumerate(everyone.entries)))
    text = caption_for(long)
    assert len(text) <= CAPTION_LIMIT
    assert "Đã đạt toàn bộ chỉ tiêu: 30 đơn vị." in text and "chưa đạt" not in text
