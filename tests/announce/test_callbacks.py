"""bot.services.announce.callbacks: every format the feature puts on a button reads back as
what was built, fits Telegram's 64 bytes with the largest ids, and matches its handler's
pattern; anything else is not taken for a press of the feature."""

from __future__ import annotations

import re

import pytest

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.announce import callbacks
from bot.services.announce.callbacks import Action, Detail, PanelPress
from bot.services.announce.compose import DEADLINES, MODES, NO_DEADLINE

BIGGEST = 10**18 - 1  # the largest id [0-9]{1,18} reads
NONCE = "0a1b2c"


def fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= CALLBACK_DATA_MAX_BYTES


@pytest.mark.parametrize("announcement_id", [1, 42, BIGGEST])
def test_ack_round_trips(announcement_id: int) -> None:
    data = callbacks.ack(announcement_id)
    assert data.startswith(callbacks.ACK_PREFIX) and fits(data)
    assert re.match(callbacks.ACK_PATTERN, data)
    assert callbacks.parse_ack(data) == announcement_id


@pytest.mark.parametrize("action", list(Detail))
@pytest.mark.parametrize("announcement_id", [1, BIGGEST])
def test_detail_round_trips(action: Detail, announcement_id: int) -> None:
    data = callbacks.detail(action, announcement_id)
    assert fits(data) and re.match(callbacks.DETAIL_PATTERN, data)
    assert callbacks.parse_detail(data) == (action, announcement_id)


def test_preview_round_trips() -> None:
    assert fits(callbacks.PREVIEW) and re.match(callbacks.PREVIEW_PATTERN, callbacks.PREVIEW)
    assert callbacks.is_preview(callbacks.PREVIEW)
    assert not callbacks.is_preview(callbacks.ack(1))


def _panel_presses() -> list[tuple[Action, str | int | None]]:
    """Every button the panel and the unit picker make."""
    presses: list[tuple[Action, str | int | None]] = [(Action.AUDIENCE, m) for m in MODES]
    presses += [(Action.DEADLINE, code or NO_DEADLINE) for code in DEADLINES]
    presses += [(Action.TOGGLE, 7), (Action.TOGGLE, BIGGEST)]
    presses += [(a, None) for a in (Action.PICK, Action.ALL, Action.CLEAR, Action.DONE,
                                    Action.ACK, Action.SEND, Action.CANCEL)]
    return presses


@pytest.mark.parametrize(("action", "arg"), _panel_presses())
def test_panel_round_trips(action: Action, arg: str | int | None) -> None:
    data = callbacks.panel(NONCE, action, arg)
    assert fits(data) and re.match(callbacks.PANEL_PATTERN, data)
    press = callbacks.parse_panel(data)
    assert press is not None
    assert press == PanelPress(NONCE, action.value, None if arg is None else str(arg))
    assert press.unit_id == (arg if action is Action.TOGGLE else None)


@pytest.mark.parametrize("data", [
    None, "", "an:ack:", "an:ack:x1", "an:ack:1:2", "an:ack:" + "1" * 19, "an:ack:١٢",
    "an:x:1", "an:v:", "an:v:" + "9" * 19, "an:pv:1", "an:d:0a1b2:send", "an:d:0A1B2C:send",
    "an:d:0a1b2c:", "an:d:0a1b2c:send:", "rp:o:1",
])
def test_other_data_is_not_a_press_of_the_feature(data: str | None) -> None:
    assert callbacks.parse_ack(data) is None
    assert callbacks.parse_detail(data) is None
    assert callbacks.parse_panel(data) is None
    assert not callbacks.is_preview(data)


@pytest.mark.parametrize("arg", ["x1", "1" * 19, None])
def test_a_toggle_names_a_unit_only_by_an_id(arg: str | None) -> None:
    assert PanelPress(NONCE, Action.TOGGLE.value, arg).unit_id is None
