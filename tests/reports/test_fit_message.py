"""A screen too long for one message is cut between characters, never inside a tag."""

from __future__ import annotations

from bot.sandbox.markup import parse_html
from handlers.report.views import MAX_MESSAGE, fit_message


def test_long_markup_is_cut_with_every_tag_closed() -> None:
    markup = "\n".join(f"<b>{n}. Tiêu chí</b> – <i>{'nội dung ' * 20}</i>" for n in range(60))
    cut = fit_message(markup)
    assert cut.endswith("…") and len(cut) < len(markup)
    # Telegram's HTML parser (as the emulator has it) refuses a tag left open or crossed.
    plain, _ = parse_html(cut)
    visible = len(plain)
    assert visible <= MAX_MESSAGE


def test_short_markup_is_untouched() -> None:
    assert fit_message("<b>Đợt 1</b>") == "<b>Đợt 1</b>"
