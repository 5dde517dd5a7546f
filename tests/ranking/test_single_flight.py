"""Identical chart requests arriving together share one render."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.services.ranking import posts as ranking_posts
from tests.charts.samples import nine_units, one_unit


async def test_identical_requests_share_one_render(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    async def slow_render(fn: Any, chart: Any) -> bytes:
        calls.append(chart)
        label = b"png-" + str(len(calls)).encode()
        await asyncio.sleep(0.05)
        return label

    monkeypatch.setattr(ranking_posts, "render_off_loop", slow_render)
    same = nine_units()
    results = await asyncio.gather(*(ranking_posts.draw(same) for _ in range(5)),
                                   ranking_posts.draw(one_unit()))
    assert len(calls) == 2  # one for the five identical requests, one for the other chart
    assert len(set(results[:5])) == 1 and results[5] != results[0]
    assert ranking_posts._IN_FLIGHT == {}
    await ranking_posts.draw(same)  # later requests render again (the file-id cache decides)
    assert len(calls) == 3
