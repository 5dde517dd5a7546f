"""A screen too long for one message is cut between characters, never inside a tag."""

from __future__ import annotations

from html.parser import HTMLParser

from handlers.report_views import MAX_MESSAGE, fit_message


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open)
        self.open.pop()


def test_long_markup_is_cut_with_every_tag_closed() -> None:
    markup = "\n".join(f"<b>{n}. Tiêu chí</b> – <i>{'nội dung ' * 20}</i>" for n in range(60))
    cut = fit_message(markup)
    assert cut.endswith("…") and len(cut) < len(markup)
    parser = _Balance()
    parser.feed(cut)
    assert parser.open == []
    visible = len(cut.replace("<b>", "").replace("</b>", "").replace("<i>", "")
                  .replace("</i>", ""))
    assert visible <= MAX_MESSAGE


def test_short_markup_is_untouched() -> None:
    assert fit_message("<b>Đợt 1</b>") == "<b>Đợt 1</b>"
