"""The covenant's callback data, built and read in one place.

Every button of the feature (signing, the publish preview, /pledge's edits) gets its data
from a builder here, and the handler that reads the press matches the pattern and parses
with the function beside it, so a format cannot drift between the two. The data only says
what the press claims to be about: the services check rights and freshness against the
database at the moment of the press.

    cov:s:<version>:<unit>            «✍️ Ký giao ước» under a delivered covenant
    cov:c:<version>:<unit>:<hash8>    confirm signing (the hash of the text the prompt showed)
    cov:n                             cancel signing
    cov:p:<block>:<hash8>:<mark>      publish what the chair previewed (mark: the newest
                                      publication the preview knew of; see versions.py)
    cov:x                             cancel the publication
    plg:s:<unit>                      /pledge: change the slogan
    plg:t:<unit>:<criterion>          /pledge: change one target
    plg:x                             /pledge: stop waiting for a value
    plg:o                             /pledge's screen (from the signing confirmation)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Database ids: at most 18 digits, so every id fits a signed 64-bit integer.
ID = r"[0-9]{1,18}"
# Hex digits of a text's SHA-256 that a confirmation carries: it then signs or publishes
# exactly what its prompt showed, even if the block file or the unit's targets changed.
CONFIRM_HASH_DIGITS = 8
KEY = rf"[0-9a-f]{{{CONFIRM_HASH_DIGITS}}}"

SIGN = re.compile(rf"^cov:s:({ID}):({ID})$")
CONFIRM = re.compile(rf"^cov:c:({ID}):({ID}):({KEY})$")
SIGN_CANCEL = "cov:n"
# Without the mark: a preview of an earlier release (it is checked as "nothing published").
PUBLISH = re.compile(rf"^cov:p:({ID}):({KEY})(?::({ID}))?$")
PUBLISH_CANCEL = "cov:x"
# A target press without its criterion ("plg:t:<unit>") still matches: the handler answers
# it as a press it cannot honour rather than leaving it to the catch-all.
PLEDGE_EDIT = re.compile(rf"^plg:(s|t):({ID})(?::({ID}))?$")
PLEDGE_CANCEL = "plg:x"
PLEDGE_OPEN = "plg:o"


def exactly(data: str) -> str:
    """A handler pattern that matches this one fixed callback data and nothing longer."""
    return f"^{re.escape(data)}$"


@dataclass(frozen=True)
class SignPress:
    version_id: int
    unit_id: int


def sign_data(version_id: int, unit_id: int) -> str:
    return f"cov:s:{version_id}:{unit_id}"


def parse_sign(data: str | None) -> SignPress | None:
    match = SIGN.match(data or "")
    return SignPress(int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True)
class ConfirmPress:
    version_id: int
    unit_id: int
    key: str  # what the confirmation promised to sign


def confirm_data(version_id: int, unit_id: int, key: str) -> str:
    return f"cov:c:{version_id}:{unit_id}:{key}"


def parse_confirm(data: str | None) -> ConfirmPress | None:
    match = CONFIRM.match(data or "")
    return ConfirmPress(int(match[1]), int(match[2]), match[3]) if match else None


@dataclass(frozen=True)
class PublishPress:
    block_id: int
    key: str  # the previewed text
    mark: int | None = None  # the newest publication the preview knew of


def publish_data(block_id: int, key: str, mark: int) -> str:
    return f"cov:p:{block_id}:{key}:{mark}"


def parse_publish(data: str | None) -> PublishPress | None:
    match = PUBLISH.match(data or "")
    if match is None:
        return None
    return PublishPress(int(match[1]), match[2], int(match[3]) if match[3] else None)


@dataclass(frozen=True)
class PledgeEditPress:
    unit_id: int
    target: bool  # a target (else the slogan)
    criterion_id: int | None  # the target's criterion; None for the slogan or a bad press


def slogan_data(unit_id: int) -> str:
    return f"plg:s:{unit_id}"


def target_data(unit_id: int, criterion_id: int) -> str:
    return f"plg:t:{unit_id}:{criterion_id}"


def parse_pledge_edit(data: str | None) -> PledgeEditPress | None:
    match = PLEDGE_EDIT.match(data or "")
    if match is None:
        return None
    target = match[1] == "t"
    criterion = int(match[3]) if target and match[3] else None
    return PledgeEditPress(int(match[2]), target, criterion)
