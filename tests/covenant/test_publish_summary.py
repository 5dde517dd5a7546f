"""The chair's summary after publishing: the superseded-signatures clause only when some
signatures were superseded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.services.covenant.versions import Publish, PublishResult, Reach
from bot.texts import catalog
from handlers.covenant import _summary


def _context(lang: str) -> Any:
    return SimpleNamespace(t=lambda key, **params: catalog().text(lang, key, **params))


def _result(superseded: int | None) -> PublishResult:
    change = None if superseded is None else SimpleNamespace(superseded=superseded)
    return PublishResult(Publish.PUBLISHED, version=SimpleNamespace(number=2),  # type: ignore[arg-type]
                         change=change, reach=Reach(units=9, people=10))  # type: ignore[arg-type]


def test_first_publication_says_nothing_about_superseded_signatures() -> None:
    for superseded in (None, 0):
        text = _summary(_context("vi"), _result(superseded))
        assert text == ("📢 Đã phát hành giao ước (phiên bản 2) đến đại diện của 9 đơn vị "
                        "(10 người).")


def test_a_new_version_counts_the_superseded_signatures() -> None:
    text = _summary(_context("vi"), _result(3))
    assert text.endswith("; 3 chữ ký của phiên bản trước không còn hiệu lực.")
    english = _summary(_context("en"), _result(1))
    assert english.endswith("; 1 signature(s) of the previous version no longer count.")
