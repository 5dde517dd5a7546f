"""Long values counted and shown as Telegram counts them (issue 26): a narrative's limit is
in UTF-16 units, and a screen that cannot show a value whole shows it clipped with
"xem đầy đủ" and the whole of it in messages of its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.formatting import utf16_len
from bot.outbox.split import visible_length
from bot.sandbox.markup import parse_html
from bot.services import values
from bot.services.reports.entry import open_report
from bot.services.values import MAX_TEXT_UNITS, BadValue, Problem, parse_value
from handlers.report.views import full_text, prompt
from handlers.review.views import narrative_in_full, points_prompt
from tests.reports.conftest import World
from tests.reports.helpers import fill


def t_for(world: World, lang: str) -> Callable[..., str]:
    return lambda key, **params: world.texts.text(lang, key, **params)


def test_a_narrative_limit_counts_emoji_twice(world: World) -> None:
    narrative = world.criterion("KET_QUA_NOI_BAT")
    assert utf16_len("🎉" * 1500) == MAX_TEXT_UNITS
    assert not isinstance(parse_value(narrative, "🎉" * 1500), BadValue)
    refused = parse_value(narrative, "🎉" * 2100)  # 2,100 characters, 4,200 units
    assert isinstance(refused, BadValue) and refused.problem is Problem.TOO_LONG


async def test_a_narrative_that_fits_is_shown_whole(world: World) -> None:
    await fill(world, "BBT", "KET_QUA_NOI_BAT: " + "🎉" * 1500)
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    c = world.criterion("KET_QUA_NOI_BAT")
    text, _ = prompt(t_for(world, "vi"), view, c, "vi")
    assert text.count("🎉") == 1500 and "xem đầy đủ" not in text
    assert full_text(t_for(world, "vi"), view, c, "vi") == []


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_a_narrative_too_long_for_its_screen_is_clipped_and_sent_whole(
    world: World, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    # Stored before the limit counted UTF-16 units: 2,100 emoji, 4,200 units.
    monkeypatch.setattr(values, "MAX_TEXT_UNITS", 10_000)
    await fill(world, "BBT", "KET_QUA_NOI_BAT: " + "🎉" * 2100)
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    c, t = world.criterion("KET_QUA_NOI_BAT"), t_for(world, lang)
    text, _ = prompt(t, view, c, lang)
    assert visible_length(text) <= 4096
    parse_html(text)  # Telegram accepts it
    assert ("xem đầy đủ" if lang == "vi" else "in full") in text
    parts = full_text(t, view, c, lang)
    assert parts and all(visible_length(p) <= 4096 for p in parts)
    assert sum(parse_html(p)[0].count("🎉") for p in parts) == 2100

    # the chair's question for the same criterion: a preview, and the whole text beside it
    ask = points_prompt(t, view, c, lang)
    assert ("xem đầy đủ" if lang == "vi" else "in full") in ask
    whole = narrative_in_full(t, view, c)
    assert sum(parse_html(p)[0].count("🎉") for p in whole) == 2100


async def test_the_chair_sees_no_extra_message_for_a_short_value(world: World) -> None:
    await fill(world, "BBT")
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    c = world.criterion("KET_QUA_NOI_BAT")  # «Mô hình «Dân vận khéo» được nhân rộng»
    assert "xem đầy đủ" not in points_prompt(t_for(world, "vi"), view, c, "vi")
    assert narrative_in_full(t_for(world, "vi"), view, c) == []
