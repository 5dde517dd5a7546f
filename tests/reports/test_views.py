"""Rendering: user text is escaped, a big table still fits a phone page by page, codes never
show, both languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from bot.outbox.split import visible_length
from bot.sandbox.markup import parse_html
from bot.services.reports.entry import open_report
from bot.services.reports.pages import form_pages
from handlers.report.form import overview_keyboard, overview_text, page_keyboard, page_text
from handlers.report.question import question
from handlers.report.submit import record
from handlers.report.views import PHONE_CHARS, PHONE_LINES, example_points
from handlers.review.views import detail_keyboard, detail_text, points_prompt
from tests.reports.conftest import World
from tests.reports.helpers import fill, submit


def t_for(world: World, lang: str) -> Callable[..., str]:
    return lambda key, **params: world.texts.text(lang, key, **params)


def fits_phone(markup: str) -> bool:
    plain, _ = parse_html(markup)  # Telegram would accept it
    return plain.count("\n") < PHONE_LINES and visible_length(markup) <= PHONE_CHARS


async def test_user_text_is_escaped_in_every_view(world: World) -> None:
    await fill(world, "BBT", "KET_QUA_NOI_BAT: <b>Mô hình</b> & «mới» <script>")
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    c = world.criterion("KET_QUA_NOI_BAT")
    page = next(p for p in form_pages(view.criteria) if c in p.criteria)
    for lang in ("vi", "en"):
        t = t_for(world, lang)
        for text in (page_text(t, view, page, lang), question(t, view, c, lang).text,
                     "".join(record(t, view, lang))):
            plain, _ = parse_html(text)
            assert "<b>Mô hình</b> & «mới» <script>" in plain


async def test_a_forty_criterion_table_fits_a_phone_page_by_page(world: World) -> None:
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    base = view.criteria[0]
    many = tuple(
        replace(base, id=1000 + i, code=f"TIEU_CHI_{i:02d}", position=i,
                title="Hoàn thành xuất sắc nhiệm vụ chính trị, chuyên môn được giao " * 3,
                group_name=f"Nhóm {i // 8}")
        for i in range(40)
    )
    big = replace(view, tree=replace(view.tree, criteria=many))
    pages = form_pages(big.criteria)
    assert len(pages) == 10  # five groups of 8, each in two pages of 4
    for lang in ("vi", "en"):
        t = t_for(world, lang)
        screens = [overview_text(t, big, lang)] + [page_text(t, big, p, lang) for p in pages]
        screens += [question(t, big, c, lang).text for c in big.criteria]
        assert all(fits_phone(s) for s in screens), lang
        assert not any("TIEU_CHI" in s for s in screens)  # codes are never shown
    t = t_for(world, "vi")
    keyboards = [overview_keyboard(t, big)] + [page_keyboard(t, big, p) for p in pages]
    labels = [b.label for k in keyboards for row in k for b in row]
    assert "40. Hoàn thành xuất sắc nhiệm vụ…" in labels
    data = [b.data for k in keyboards for row in k for b in row]
    assert all(len(str(d).encode()) <= 64 for d in data)


async def test_chair_view_shows_self_and_appraised(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    text = detail_text(t_for(world, "vi"), view, "vi")
    parse_html(text)
    assert "Tự chấm: <b>88</b>" in text
    assert view.score.self_total == Decimal("88.00")


async def test_a_criterion_worth_no_points_is_not_appraised(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    t = t_for(world, "vi")
    n = view.criteria.index(world.criterion("KET_QUA_NOI_BAT")) + 1
    pages = range(3)
    texts = [detail_text(t, view, "vi", page=p) for p in pages]
    line = next(x for text in texts for x in text.split("\n") if x.startswith(f"{n}. Kết quả"))
    text = next(text for text in texts if line in text)
    item = text[text.index(line):].split("\n")[1]  # the line under the title
    assert "tự chấm" not in item
    labels = [b.label for p in pages for row in detail_keyboard(t, view, p) for b in row]
    assert not any(label.startswith(f"✏️ {n}.") for label in labels)
    assert "✏️ 1. Hoàn thành nhiệm vụ chính trị" in labels


async def test_the_points_question_names_the_unit_and_a_possible_example(world: World) -> None:
    await fill(world, "BBT")
    view = (await submit(world, "BBT")).view
    for code, example in (("NV_CHINH_TRI", "39,5"), ("XAY_DUNG_DANG", "9,5"),
                          ("TRE_HAN", "4,5")):
        criterion = world.criterion(code)
        ask = points_prompt(t_for(world, "vi"), view, criterion, "vi")
        assert ask.startswith("<b>Báo Bình Thuận</b> · Đợt 1")
        assert f"ví dụ: {example})" in ask and code not in ask
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
    asked = question(t_for(world, "vi"), view, world.criterion("NV_CHINH_TRI"), "vi")
    assert "từ 0 đến 40 (có thể dùng số thập phân, ví dụ: 39,5)" in asked.text
    assert asked.placeholder == "Điểm tự chấm, từ 0 đến 40"
    asked = question(t_for(world, "en"), view, world.criterion("NV_CHINH_TRI"), "en")
    assert "from 0 to 40 (decimals are allowed, for example 39.5)" in asked.text


async def test_a_yes_no_question_has_its_buttons_and_a_way_back(world: World) -> None:
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    asked = question(t_for(world, "vi"), view, world.criterion("HOAT_DONG_CHUNG"), "vi")
    assert asked.placeholder is None
    assert [b.label for row in asked.buttons for b in row] == ["Có", "Không", "⬅️ Quay lại"]
    assert asked.buttons[1][0].data == f"rp:g:{view.phase.id}:1"  # its group's page
