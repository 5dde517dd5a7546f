"""The canonical signed text and its SHA-256: stable, and sensitive to every part."""

from __future__ import annotations

import hashlib
import unicodedata
from decimal import Decimal

import pytest

from bot.services.covenant.hash import (
    CovenantContent,
    PledgeContent,
    PledgedTarget,
    canonical_number,
    commitments_changed,
    covenant_text,
    sha256_hex,
    short_hash,
    signed_text,
)

CONTENT = CovenantContent(
    title="Giao ước thi đua năm 2023 – Khối thi đua 6",
    preamble="Các cơ quan, đơn vị thành viên thống nhất ký kết:",
    commitments=("Thi đua sôi nổi.", "Đoàn kết nội bộ."),
)
PLEDGE = PledgeContent(
    unit_code="BBT",
    unit_name="Báo Bình Thuận",
    slogan="Đổi mới, sáng tạo",
    targets=(
        PledgedTarget("TIEN_VAN_DONG", "Số tiền vận động", "number", "đồng",
                      Decimal("200000000")),
        PledgedTarget("CHUYEN_DOI_SO", "Tỷ lệ văn bản điện tử", "percent", None, Decimal("92.5")),
    ),
)


def digest(content: CovenantContent = CONTENT, pledge: PledgeContent = PLEDGE) -> str:
    return sha256_hex(signed_text(covenant_text(content), pledge, "vi"))


def test_text_is_the_document_a_person_reads() -> None:
    assert signed_text(covenant_text(CONTENT), PLEDGE, "vi") == (
        "Giao ước thi đua năm 2023 – Khối thi đua 6\n\n"
        "Các cơ quan, đơn vị thành viên thống nhất ký kết:\n\n"
        "1. Thi đua sôi nổi.\n2. Đoàn kết nội bộ.\n\n"
        "---\n"
        "Đơn vị: Báo Bình Thuận (BBT)\n"
        "Chủ đề: Đổi mới, sáng tạo\n"
        "Chỉ tiêu đăng ký:\n"
        "- Số tiền vận động (TIEN_VAN_DONG): 200.000.000 đồng\n"
        "- Tỷ lệ văn bản điện tử (CHUYEN_DOI_SO): 92,5%"
    )


def test_hash_is_sha256_of_utf8_and_stable() -> None:
    text = signed_text(covenant_text(CONTENT), PLEDGE, "vi")
    assert digest() == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert digest() == digest()
    assert len(short_hash(digest())) == 12


def test_hash_ignores_how_the_same_words_were_typed() -> None:
    decomposed = CovenantContent.from_settings({
        "title": unicodedata.normalize("NFD", CONTENT.title) + "  ",
        "preamble": CONTENT.preamble.replace(" ", " ", 1) + "\r\n",
        "commitments": list(CONTENT.commitments),
    })
    assert sha256_hex(covenant_text(decomposed)) == sha256_hex(covenant_text(CONTENT))


@pytest.mark.parametrize("change", [
    {"content": CovenantContent(CONTENT.title + ".", CONTENT.preamble, CONTENT.commitments)},
    {"content": CovenantContent(CONTENT.title, CONTENT.preamble, ("Thi đua.", "Đoàn kết."))},
    {"content": CovenantContent(CONTENT.title, "", CONTENT.commitments)},
    {"pledge": PledgeContent("BBT", "Báo Bình Thuận", "Khác", PLEDGE.targets)},
    {"pledge": PledgeContent("BBT", "Báo Bình Thuận", None, PLEDGE.targets)},
    {"pledge": PledgeContent("BBT", "Báo Bình Thuận", PLEDGE.slogan, PLEDGE.targets[:1])},
    {"pledge": PledgeContent("BBT", "Báo Bình Thuận", PLEDGE.slogan, (
        PledgedTarget("TIEN_VAN_DONG", "Số tiền vận động", "number", "đồng",
                      Decimal("200000001")), PLEDGE.targets[1]))},
    {"pledge": PledgeContent("UBKT", "Báo Bình Thuận", PLEDGE.slogan, PLEDGE.targets)},
])
def test_hash_changes_with_text_slogan_or_targets(change: dict[str, object]) -> None:
    assert digest(**change) != digest()  # type: ignore[arg-type]


def test_pledge_round_trips_through_its_stored_form() -> None:
    assert PledgeContent.from_dict(PLEDGE.as_dict()) == PLEDGE


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("1833468000", "vi", "1.833.468.000"),
    ("1833468000", "en", "1,833,468,000"),
    ("1.5", "vi", "1,5"),
    ("90", "vi", "90"),
    ("200000000.00", "vi", "200.000.000"),
    ("999", "vi", "999"),
    ("1000", "vi", "1.000"),
    ("-1234.5", "vi", "-1.234,5"),
])
def test_canonical_numbers(value: str, lang: str, expected: str) -> None:
    assert canonical_number(Decimal(value), lang) == expected


def test_commitment_changes_are_numbered() -> None:
    assert commitments_changed(["a", "b", "c"], ["a", "B", "c", "d"]) == {
        "changed": [2], "added": [4], "removed": []}
    assert commitments_changed(["a", "b"], ["a"]) == {"changed": [], "added": [], "removed": [2]}
