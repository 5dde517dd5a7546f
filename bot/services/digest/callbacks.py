"""The digest's callback data ("dg:"), built and parsed in one place. Only the item's id
travels; chair rights, and whether the registration still stands, are read from the
database at the press.

    dg:rm:<item>   «🚫 Gỡ …» under a registration: ask to confirm
    dg:ry:<item>   «🚫 Gỡ đại diện này»: confirmed
    dg:rn:<item>   «Giữ lại»: keep the representative
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PREFIX = "dg:"
PATTERN = "^" + re.escape(PREFIX)  # every press of the feature, well-formed or not
ID_DIGITS = 18
_FORMAT = re.compile(rf"{re.escape(PREFIX)}r([mny]):([0-9]{{1,{ID_DIGITS}}})")

Step = Literal["ask", "confirm", "keep"]
_LETTERS: dict[Step, str] = {"ask": "m", "confirm": "y", "keep": "n"}
_STEPS: dict[str, Step] = {v: k for k, v in _LETTERS.items()}


@dataclass(frozen=True)
class RemovalPress:
    step: Step
    item_id: int


def removal_data(step: Step, item_id: int) -> str:
    if not 0 <= item_id < 10**ID_DIGITS:
        raise ValueError(f"an id in callback data has at most {ID_DIGITS} digits")
    return f"{PREFIX}r{_LETTERS[step]}:{item_id}"


def parse_removal(data: str | None) -> RemovalPress | None:
    found = _FORMAT.fullmatch(data or "")
    return RemovalPress(_STEPS[found.group(1)], int(found.group(2))) if found else None
