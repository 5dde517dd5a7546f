"""Rendering: user text is escaped, a big table still fits one message, both languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from bot.sandbox.markup import parse_html
from bot.services.reports.entry import open_report
from handlers.report.views import MAX_MESSAGE, example_points, form_keyboard, form_text, prompt
from handlers.review.views import detail_keyboard, detail_text, points_prompt
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
    assert "TIEU_CHI_39" in text
    plain, _ = parse_html(text)
    assert len(plain.encode("utf-16-le")) // 2 <= MAX_MESSAGE  # what Telegram counts
    markup = form_keyboard(t_for(world, "vi"), big)
    data = [b.data for row in markup for b in row]
    assert all(len(str(d).encode()) <= 64 for d in data)


async def test_chair_view_shows_self_and_appraised(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    text = detail_text(t_for(world, "vi"), view, "vi")
    parse_html(text)
    assert "Tổng tự chấm: <b>88</b> điểm" in text
    assert view.score.self_total == Decimal("88.00")


async def test_a_criterion_worth_no_points_is_not_appraised(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    t = t_for(world, "vi")
    text = detail_text(t, view, "vi")
    n = view.criteria.index(world.criterion("KET_QUA_NOI_BAT")) + 1
    line = next(x for x in text.split("\n") if x.startswith(f"{n}. <b>KET_QUA_NOI_BAT</b>"))
    assert "không tính điểm" in line
    item = text[text.index(line):].split("\n")[1]  # the line under the title
    assert item.startswith("    Đơn vị báo cáo:") and "tự chấm" not in item
    labels = [b.label for row in detail_keyboard(t, view) for b in row]
    assert f"✏️ {n}" not in labels and "✏️ 1" in labels


async def test_the_points_question_names_the_unit_and_a_possible_example(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    for code, example in (("NV_CHINH_TRI", "39,5"), ("XAY_DUNG_DANG", "9,5"),
                          ("TRE_HAN", "4,5")):
        criterion = world.criterion(code)
        ask = points_prompt(t_for(world, "vi"), view, criterion, "vi")
        assert ask.startswith("Thẩm định báo cáo Đợt 1 của <b>Báo Bình Thuận</b> (BBT)")
        assert f"<code>{example}; " in ask
        assert Decimal(example.replace(",", ".")) <= criterion.max_points


def test_examples_stay_within_the_maximum() -> None:
    for maximum, example in (("40", "39.5"), ("15", "14.5"), ("5", "4.5"), ("1", "0.5"),
                             ("0.5", "0.25"), ("0", "0")):
        assert example_points(Decimal(maximum)) == Decimal(example)


async def test_the_self_score_question_gives_an_example_within_the_maximum(
    world: World,
) -> None:
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    text, _ = prompt(t_for(world, "vi"), view, world.criterion("NV_CHINH_TRI"), "vi")
    assert "từ 0 đến 40 (có thể dùng số thập phân, ví dụ: 39,5)" in text
    text, _ = prompt(t_for(world, "en"), view, world.criterion("NV_CHINH_TRI"), "en")
    assert "from 0 to 40 (decimals are allowed, for example 39.5)" in text
