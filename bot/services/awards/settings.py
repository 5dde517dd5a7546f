"""The award vote's rules as setup stores them in `blocks.settings` and the vote reads them.

Setup writes `settings["awards"]` (one entry per `[[awards]]`) and `settings["review"]`;
a vote copies what it finds at opening into its round (rules may change in the file
later, a running or counted vote keeps the rules it was opened with).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.blockfile.model import AwardReviewSpec, BlockSpec

DEFAULTS = AwardReviewSpec()


def settings_of(spec: BlockSpec) -> dict[str, Any]:
    """The `awards` and `review` entries of blocks.settings (JSON: decimals as text)."""
    return {
        "awards": [{"code": a.code, "name": a.name, "seats": a.seats,
                    "threshold": str(a.threshold), "candidates_top": a.candidates_top}
                   for a in spec.awards],
        "review": {"quorum": str(spec.review.quorum), "self_vote": spec.review.self_vote,
                   "remind_before": list(spec.review.remind_before),
                   "cites": list(spec.review.cites)},
    }


@dataclass(frozen=True)
class Award:
    code: str
    name: str
    seats: int
    threshold: Decimal
    candidates_top: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "seats": self.seats,
                "threshold": str(self.threshold), "candidates_top": self.candidates_top}


@dataclass(frozen=True)
class Rules:
    """What a round is decided by: its awards and the review's settings."""

    awards: tuple[Award, ...]
    quorum: Decimal
    self_vote: bool
    remind_before: tuple[str, ...]
    cites: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"awards": [a.as_json() for a in self.awards], "quorum": str(self.quorum),
                "self_vote": self.self_vote, "remind_before": list(self.remind_before),
                "cites": list(self.cites)}


def _award(data: dict[str, Any]) -> Award:
    return Award(code=str(data["code"]), name=str(data["name"]), seats=int(data["seats"]),
                 threshold=Decimal(str(data["threshold"])),
                 candidates_top=data.get("candidates_top"))


def rules_from(data: dict[str, Any]) -> Rules:
    """Rules from blocks.settings or from a round's stored copy (same shape)."""
    review = data.get("review") or data
    return Rules(
        awards=tuple(_award(a) for a in data.get("awards") or ()),
        quorum=Decimal(str(review.get("quorum", DEFAULTS.quorum))),
        self_vote=bool(review.get("self_vote", DEFAULTS.self_vote)),
        remind_before=tuple(review.get("remind_before", DEFAULTS.remind_before)),
        cites=tuple(review.get("cites", DEFAULTS.cites)),
    )

