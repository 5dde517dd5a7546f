"""The commands each feature offers, by audience; /help and the Telegram menus read this."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    GUEST = "guest"  # anyone in private, registered or not
    MEMBER = "member"  # a representative of a unit
    CHAIR = "chair"  # chair rights in the block


class Scope(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class CommandSpec:
    name: str
    audience: Audience
    scopes: frozenset[Scope]
    # the catalog key of the short description is f"cmd-{name}"

    @property
    def text_key(self) -> str:
        return f"cmd-{self.name}"


def command(name: str, audience: Audience, *scopes: Scope) -> CommandSpec:
    return CommandSpec(name, audience, frozenset(scopes or (Scope.PRIVATE,)))


_RANK = {Audience.GUEST: 0, Audience.MEMBER: 1, Audience.CHAIR: 2}


def visible(
    specs: list[CommandSpec], *, scope: Scope, is_member: bool, is_chair: bool
) -> list[CommandSpec]:
    """The commands a caller may use here, in registration order."""
    level = 2 if is_chair else 1 if is_member else 0
    return [s for s in specs if scope in s.scopes and _RANK[s.audience] <= level]
