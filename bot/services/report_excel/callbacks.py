"""The callback data of reports by Excel ("rx:"), built and parsed in one place: the
«📥 Mẫu Excel» button under the report form sends the unit's template of that phase.

Only the phase id travels: the unit is the presser's, read from the database, and the
phase must be their block's. Telegram allows 1-64 bytes (bot.buttons.CALLBACK_DATA_MAX_BYTES).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "rx:"
# Every press of this feature, well-formed or not, reaches its handler (a malformed one is
# refused and audited there rather than left to spin).
PATTERN = "^" + re.escape(PREFIX)
ID_DIGITS = 18  # SQLite's INTEGER is 64-bit signed; ASCII digits only, as [0-9] says
_TEMPLATE = re.compile(rf"{re.escape(PREFIX)}t:([0-9]{{1,{ID_DIGITS}}})")


@dataclass(frozen=True)
class SendTemplate:
    phase_id: int


Press = SendTemplate


def send_template(phase_id: int) -> str:
    if not 0 <= phase_id < 10**ID_DIGITS:
        raise ValueError(f"an id in callback data has at most {ID_DIGITS} digits: {phase_id}")
    return f"{PREFIX}t:{phase_id}"


def data_of(press: Press) -> str:
    return send_template(press.phase_id)


def parse(data: str | None) -> Press | None:
    """The press a button's data stands for; None for anything we never built."""
    match = _TEMPLATE.fullmatch(data or "")
    return SendTemplate(int(match.group(1))) if match else None
