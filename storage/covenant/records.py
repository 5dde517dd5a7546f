"""Frozen dataclasses of the covenant feature, as storage.covenant returns them.

Apart from the repository so that handlers may name them (a signature shown to the
user) without importing any query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CovenantVersion:
    id: int
    block_id: int
    number: int
    language: str
    title: str
    content: dict[str, Any]
    text: str
    text_hash: str
    published_at: datetime
    published_by_tg_id: int | None
    reason: str


@dataclass(frozen=True)
class Pledge:
    """What a unit registered in the bot; None/absent values fall back to the block file."""

    unit_id: int
    slogan: str | None
    targets: dict[str, str]
    updated_at: datetime
    updated_by_tg_id: int | None


@dataclass(frozen=True)
class Signature:
    id: int
    block_id: int
    version_id: int
    unit_id: int
    signer_tg_id: int
    signer_name: str
    signed_at: datetime
    pledge: dict[str, Any]
    signed_text: str
    text_hash: str
    superseded_at: datetime | None

    @property
    def superseded(self) -> bool:
        return self.superseded_at is not None
