"""The random parts of a vote: ballot trackers, draft tokens and which unused ballot a
cast fills. All from `secrets`: nothing about them follows the order of casting."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from storage.awards.tables import TRACKER_LENGTH

# Crockford's base32: no I, L, O, U, so a tracker read aloud or retyped is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_BYTES = 16  # a draft token: 128 bits, in the ballot's buttons only


def new_trackers(count: int) -> list[str]:
    """`count` different trackers (40 random bits each)."""
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(secrets.choice(ALPHABET) for _ in range(TRACKER_LENGTH)))
    return sorted(found)


def shown(tracker: str) -> str:
    """"K7M2Q9XD" -> "K7M2-Q9XD": easier to read back and compare."""
    half = len(tracker) // 2
    return f"{tracker[:half]}-{tracker[half:]}"


def normalised(typed: str) -> str | None:
    """A tracker as a person types it back (any case, with or without the dash, o for 0,
    i or l for 1), or None if it cannot be one."""
    text = typed.strip().upper().replace("-", "").replace(" ", "")
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(text) != TRACKER_LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def pick(free: Sequence[str]) -> str:
    """The unused ballot a cast fills: uniformly at random, never the next in any order."""
    return secrets.choice(list(free))


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def draft_key(token: str, tg_user_id: int) -> str:
    """What the database keeps of a draft's owner: without the token (in the voter's chat
    only) it cannot be traced back to anyone; another person's press finds nothing."""
    return hashlib.sha256(f"{token}:{tg_user_id}".encode()).hexdigest()
