"""Long values counted and shown as Telegram counts them (issue 26): a narrative's limit is
in UTF-16 units, and a screen that cannot show a value whole (a phone screen, issue 18)
shows it clipped with "đầy đủ ở tin nhắn phía trên" and the whole of it in messages of its
own, sent before the question."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.formatting import utf16_len
from bot.outbox.split import visible_length
from bot.sandbox.markup import parse_html
from bot.services import values
from bot.services.reports.entry import open_report
from bot.services.values import MAX_TEXT_UNITS, BadValue, Problem, parse_value
from handlers.report.question import NARRATIVE_ON_SCREEN, question
from handlers.report.submit import record
from handlers.report.views import PHONE_CHARS, PHONE_LINES
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
    emoji = NARRATIVE_ON_SCREEN // 2  # two UTF-16 units each
    await fill(world, "BBT", "KET_QUA_NOI_BAT: " + "🎉" * emoji)
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    asked = question(t_for(world, "vi"), view, world.criterion("KET_QUA_NOI_BAT"), "vi")
    assert asked.text.count("🎉") == emoji and "đầy đủ" not in asked.text
    assert asked.before == () and asked.placeholder


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
    asked = question(t, view, c, lang)
    assert visible_length(asked.text) <= PHONE_CHARS
    parse_html(asked.text)  # Telegram accepts it
    assert ("đầy đủ" if lang == "vi" else "in full") in asked.text
    parts = asked.before
    assert parts and all(visible_length(p) <= 4096 for p in parts)
    assert sum(parse_html(p)[0].count("🎉") for p in parts) == 2100

    # the chair's question for the same criterion: a preview, and the whole text beside it
    ask = points_prompt(t, view, c, lang)
    assert ("đầy đủ" if lang == "vi" else "in full") in ask
    whole = narrative_in_full(t, view, c)
    assert sum(parse_html(p)[0].count("🎉") for p in whole) == 2100


async def test_the_chair_sees_no_extra_message_for_a_short_value(world: World) -> None:
    await fill(world, "BBT")
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    c = world.criterion("KET_QUA_NOI_BAT")  # «Mô hình «Dân vận khéo» được nhân rộng»
    assert "đầy đủ" not in points_prompt(t_for(world, "vi"), view, c, "vi")
    assert narrative_in_full(t_for(world, "vi"), view, c) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_the_record_of_a_report_carries_a_long_narrative_whole(
    world: World, lang: str
) -> None:
    await fill(world, "BBT", "KET_QUA_NOI_BAT: " + "Mô hình mới. " * 230)  # ~3,000 units
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None
    parts = record(t_for(world, lang), view, lang)
    assert len(parts) > 1  # over several phone screens, never cut
    for part in parts:
        plain, _ = parse_html(part)
        assert plain.count("\n") < PHONE_LINES and visible_length(part) <= PHONE_CHARS
    whole = " ".join(" ".join(parse_html(p)[0].split()) for p in parts)
    assert whole.count("Mô hình mới.") == 230
