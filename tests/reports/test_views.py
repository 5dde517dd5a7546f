"""Rendering: user text is escaped, a big table still fits one message, both languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from bot.sandbox.markup import parse_html
from bot.services.reports import open_report
from handlers.report_views import MAX_MESSAGE, form_keyboard, form_text, prompt
from handlers.review_views import detail_text
from tests.reports.conftest import World
from tests.reports.helpers import fill, submit


def t_for(world: World, lang: str) -> Callable[..., str]:
    return lambda key, **params: world.texts.text(lang, key, **params)


async def test_user_text_is_escaped_in_every_view(world: World) -> None:
    await fill(world, "BBT", "KET_QUA_NOI_BAT: <b>Mô hình</b> & «mới» <script>")
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    for lang in ("vi", "en"):
        text = form_text(t_for(world, lang), view, lang)
        plain, _ = parse_html(text)  # Telegram would accept it
        assert "<b>Mô hình</b> & «mới» <script>" in plain
        ask, _ = prompt(t_for(world, lang), view, world.criterion("KET_QUA_NOI_BAT"), lang)
        assert "<script>" in parse_html(ask)[0]


async def test_a_forty_criterion_table_fits_one_message(world: World) -> None:
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    base = view.criteria[0]
    many = tuple(
        replace(base, id=1000 + i, code=f"TIEU_CHI_{i:02d}", position=i,
                title="Hoàn thành xuất sắc nhiệm vụ chính trị, chuyên môn được giao " * 3,
                group_name=f"Nhóm {i // 5}")
        for i in range(40)
    )
    big = replace(view, tree=replace(view.tree, criteria=many))
    text = form_text(t_for(world, "vi"), big, "vi")
    assert len(text) <= MAX_MESSAGE
    assert "TIEU_CHI_39" in text
    parse_html(text)
    markup = form_keyboard(t_for(world, "vi"), big)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert all(len(str(d).encode()) <= 64 for d in data)


async def test_chair_view_shows_self_and_appraised(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    text = detail_text(t_for(world, "vi"), view, "vi")
    parse_html(text)
    assert "Tổng tự chấm: <b>88</b> điểm" in text
    assert view.score.self_total == Decimal("88.00")
