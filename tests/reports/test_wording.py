"""The Vietnamese catalogs use one term per concept (a native reviewer's findings), and a
refusal does not sound like a warning to colleagues."""

from __future__ import annotations

import pytest

from bot.texts import catalog

# Term chosen -> variants that said the same thing in other screens.
ONE_TERM = {
    "nộp báo cáo": ("gửi báo cáo", "Gửi báo cáo"),
    "trễ hạn": ("muộn",),
    "trả lại để chỉnh sửa": ("để bổ sung",),
    "bảng chấm điểm": ("bảng điểm ", "bảng tiêu chí", "Bảng tiêu chí"),
    "Đơn vị báo cáo": ("Đơn vị tự khai",),
}


@pytest.mark.parametrize("term", sorted(ONE_TERM))
def test_one_term_per_concept(term: str) -> None:
    texts = catalog().texts["vi"]
    found = [(key, variant) for key, text in texts.items() for variant in ONE_TERM[term]
             if variant in text]
    assert found == []


def test_refusals_do_not_announce_that_they_were_recorded() -> None:
    for lang, phrase in (("vi", "ghi lại"), ("en", "recorded")):
        texts = catalog().texts[lang]
        for key in ("bind-refused", "pledge-not-member", "covenant-sign-not-member",
                    "covenant-sign-other-unit", "report-press-refused"):
            assert phrase not in texts[key], (lang, key)
