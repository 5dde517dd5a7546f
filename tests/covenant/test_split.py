"""Long covenants are cut for Telegram at commitment boundaries, never over 4096."""

from __future__ import annotations

import html

from bot.outbox import visible_length
from bot.services.covenant.hash import CovenantContent, PledgeContent
from bot.services.covenant.messages import MAX_MESSAGE, covenant_messages, split_chunks
from bot.texts import catalog

LONG = CovenantContent(
    title="Giao ước <dài> & đủ",
    preamble="Mở đầu.",
    commitments=tuple(f"Cam kết thứ {n}: " + "thi đua, " * 120 + "hết." for n in range(1, 11)),
)


def test_long_covenant_is_cut_between_commitments() -> None:
    pledge = PledgeContent("BBT", "Báo Bình Thuận", "Chủ đề", ())
    parts = covenant_messages(catalog(), "vi", heading="<b>Kính gửi</b>", content=LONG,
                              pledge=pledge, footer="Cuối.")
    assert len(parts) > 2
    assert all(len(p) <= MAX_MESSAGE and visible_length(p) <= MAX_MESSAGE for p in parts)
    text = "\n\n".join(parts)
    for n in range(1, 11):
        assert text.count(f"{n}. Cam kết thứ {n}:") == 1
    for part in parts:  # every part starts at a chunk: heading, commitment or the unit
        assert part.startswith(("<b>", "Mở đầu", "Cuối")) or part.split(". ", 1)[0].isdigit()
    assert "Giao ước &lt;dài&gt; &amp; đủ" in parts[0]
    assert parts[-1].endswith("Cuối.")


def test_a_single_oversized_commitment_is_cut_at_spaces() -> None:
    word = "&amp;" + "x" * 10
    chunk = " ".join([word] * 900)  # about 14,000 characters, no tags
    parts = split_chunks(["<b>Tiêu đề</b>", chunk], limit=MAX_MESSAGE)
    assert all(len(p) <= MAX_MESSAGE for p in parts)
    assert " ".join(parts[1:]) == chunk
    assert all(html.unescape(p).count("&") == p.count("&amp;") for p in parts)


def test_short_text_is_one_message() -> None:
    assert split_chunks(["a", "b", "c"]) == ["a\n\nb\n\nc"]
