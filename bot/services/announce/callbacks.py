"""The announcement feature's callback data, defined once: a builder and a parser for every
button the feature puts under a message. The services and views that make the buttons and
the handlers that read the presses (their CallbackQueryHandler patterns too) use these, so
a format cannot drift between the two sides.

Formats (each well under Telegram's 64 bytes):
- ``an:ack:<notice id>``: "received", on a copy, a reminder or the group's counter
- ``an:v:<id>``, ``an:n:<id>``, ``an:t:<id>``: /announcements, a notice's details, its
  reminder to the units that have not confirmed, its per-unit table
- ``an:d:<nonce>:<action>[:<arg>]``: the /announce panel; the nonce (6 hex digits) names
  the draft, so a press on an old panel cannot change a newer one
- ``an:pv``: the inert "received" button on the chair's preview
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ID = r"[0-9]{1,18}"  # a database id in callback data (never str.isdigit: no other digits)
_ID = re.compile(ID)

ACK_PREFIX = "an:ack:"
ACK_PATTERN = rf"^an:ack:({ID})$"
_ACK = re.compile(ACK_PATTERN)


def ack(announcement_id: int) -> str:
    """"Received" for this notice (the presser's unit is read from the database)."""
    return f"{ACK_PREFIX}{announcement_id}"


def parse_ack(data: str | None) -> int | None:
    """The notice of a "received" press, or None if `data` is not one."""
    match = _ACK.match(data or "")
    return int(match.group(1)) if match else None


class Detail(StrEnum):
    """The buttons of /announcements and of a notice's details."""

    VIEW = "v"
    NUDGE = "n"
    TABLE = "t"


DETAIL_PATTERN = rf"^an:([vnt]):({ID})$"
_DETAIL = re.compile(DETAIL_PATTERN)


def detail(action: Detail, announcement_id: int) -> str:
    return f"an:{action.value}:{announcement_id}"


def parse_detail(data: str | None) -> tuple[Detail, int] | None:
    """(what to show or do, the notice) of a press in /announcements, or None."""
    match = _DETAIL.match(data or "")
    return (Detail(match.group(1)), int(match.group(2))) if match else None


PREVIEW = "an:pv"
PREVIEW_PATTERN = rf"^{re.escape(PREVIEW)}$"


def is_preview(data: str | None) -> bool:
    """A press of the button on the chair's preview (it only explains itself)."""
    return data == PREVIEW


class Action(StrEnum):
    """What a button of the /announce panel does to the draft."""

    AUDIENCE = "aud"  # arg: both | group | units
    PICK = "pick"  # choose the units one by one
    TOGGLE = "tog"  # arg: a unit's id
    ALL = "all"
    CLEAR = "clear"
    DONE = "done"  # back from picking to the panel
    ACK = "ack"  # ask for "received", or not
    DEADLINE = "dl"  # arg: a deadline's code, "none" for no deadline
    SEND = "send"
    CANCEL = "cancel"


NONCE = r"[0-9a-f]{6}"
PANEL_PATTERN = rf"^an:d:({NONCE}):([a-z]+)(?::([0-9a-z]+))?$"
_PANEL = re.compile(PANEL_PATTERN)


@dataclass(frozen=True)
class PanelPress:
    nonce: str
    action: str  # an Action's value; an unknown one changes nothing
    arg: str | None = None

    @property
    def unit_id(self) -> int | None:
        """The unit a TOGGLE press names, if its argument is an id."""
        if self.action != Action.TOGGLE or self.arg is None or not _ID.fullmatch(self.arg):
            return None
        return int(self.arg)


def panel(nonce: str, action: Action, arg: str | int | None = None) -> str:
    return f"an:d:{nonce}:{action.value}" + ("" if arg is None else f":{arg}")


def parse_panel(data: str | None) -> PanelPress | None:
    """The draft, action and argument of a press on the /announce panel, or None."""
    match = _PANEL.match(data or "")
    if match is None:
        return None
    return PanelPress(match.group(1), match.group(2), match.group(3))
