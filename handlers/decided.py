"""How a person is told that someone decided before them: who (name and unit), and when
(dd/mm/yyyy HH:MM in the block's time zone), in their language.

The features refuse a change pressed on a stale screen (compare-and-set) and return the
decision that overtook it (bot.services.audit.Decision); their handlers word it here.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.formatting import clip, format_datetime
from bot.services.audit import Decision
from bot.texts import Html

# The moment of a decision, as the issue asks it shown: 01/03/2023 09:05.
DECIDED_AT = "%d/%m/%Y %H:%M"

T = Callable[..., str]

# A person's Telegram name and a unit's name are clipped (UTF-16 units) so that the
# sentence fits where it is shown, a press's alert included (at most 200 characters).
NAME_LIMIT = 40
UNIT_LIMIT = 60


def who(t: T, decision: Decision) -> Html:
    """"Nguyễn Văn A (Văn phòng Tỉnh ủy)"; someone who is no representative by their
    Telegram id; the bot itself (a change of the block file)."""
    if decision.name is not None and decision.unit is not None:
        return Html(t("common-decider", name=clip(decision.name, NAME_LIMIT),
                      unit=clip(decision.unit.name, UNIT_LIMIT)))
    if decision.by_tg_id is not None:
        return Html(t("common-decider-unnamed", id=decision.by_tg_id))
    return Html(t("common-decider-bot"))


def when(decision: Decision, tz: ZoneInfo) -> str:
    return format_datetime(decision.at, tz, pattern=DECIDED_AT)


def told(t: T, key: str, decision: Decision, tz: ZoneInfo, **params: object) -> Html:
    """The catalog text `key` with {who} and {when} of the decision (and `params`)."""
    return Html(t(key, who=who(t, decision), when=when(decision, tz), **params))
