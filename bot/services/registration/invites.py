"""Invite tokens and registration of representatives by deep link.

A registration and the chair's digest item of it commit together: a crash leaves either
no registration or one with its item (and, when the digest goes at once, its messages)
queued; a retried use case finds the representative registered and adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.clock import Clock
from bot.services.digest.chair import note_registration
from bot.texts import Catalog
from storage import audit, members
from storage import blocks as blocks_repo
from storage import invites as invites_repo
from storage.db import Database
from storage.records import Block, Unit

# 24 random bytes = 192 bits (issue asks for at least 128), 32 URL-safe characters, well
# inside Telegram's 64-character limit for the /start parameter ([A-Za-z0-9_-]).
TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DEFAULT_USES = 3
DEFAULT_DAYS = 30


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


@dataclass(frozen=True)
class IssuedInvite:
    block: Block
    unit: Unit
    token: str


class InviteProblem(Exception):
    """A CLI-side problem with the request (unknown block or unit).

    `key` names the problem for the command line's catalog (`cli-invites-<key>`), `params`
    fill its sentence; the message is the English of it."""

    def __init__(self, message: str, key: str = "", **params: str) -> None:
        super().__init__(message)
        self.key, self.params = key, params


async def issue_invites(
    db: Database,
    clock: Clock,
    *,
    block_code: str | None,
    unit_code: str | None = None,
    uses: int = DEFAULT_USES,
    days: int = DEFAULT_DAYS,
) -> list[IssuedInvite]:
    if uses < 1 or days < 1:
        raise InviteProblem("--uses and --days must be at least 1", "too-few")
    now = clock.now()
    issued: list[IssuedInvite] = []
    async with db.transaction() as conn:
        for block in await _blocks(conn, block_code):
            tree = await blocks_repo.load_tree(conn, block)
            chosen = [u for u in tree.units if unit_code in (None, u.code)]
            if unit_code is not None and not chosen:
                raise InviteProblem(f"block {block.code} has no unit {unit_code!r}",
                                    "no-unit", block=block.code, unit=unit_code)
            for unit in chosen:
                token = secrets.token_urlsafe(TOKEN_BYTES)
                await invites_repo.add_invite(
                    conn,
                    block_id=block.id,
                    unit_id=unit.id,
                    token_hash=hash_token(token),
                    max_uses=uses,
                    expires_at=now + timedelta(days=days),
                    now=now,
                )
                issued.append(IssuedInvite(block=block, unit=unit, token=token))
            await audit.record(
                conn,
                at=now,
                action="invites.issued",
                block_id=block.id,
                subject=unit_code or "*",
                after={"count": len(chosen), "uses": uses, "days": days},
            )
    return issued


async def revoke_invites(
    db: Database, clock: Clock, *, block_code: str | None, unit_code: str
) -> int:
    now = clock.now()
    async with db.transaction() as conn:
        total = 0
        for block in await _blocks(conn, block_code):
            unit = await blocks_repo.get_unit_by_code(conn, block.id, unit_code)
            if unit is None:
                raise InviteProblem(f"block {block.code} has no unit {unit_code!r}",
                                    "no-unit", block=block.code, unit=unit_code)
            count = await invites_repo.revoke_open(conn, unit.id, now)
            await audit.record(
                conn,
                at=now,
                action="invites.revoked",
                block_id=block.id,
                subject=unit_code,
                after={"count": count},
            )
            total += count
    return total


async def _blocks(conn: AsyncConnection, block_code: str | None) -> list[Block]:
    if block_code is not None:
        block = await blocks_repo.get_block_by_code(conn, block_code)
        if block is None:
            raise InviteProblem(
                f"no block with code {block_code!r} (run `thidua-bot setup` first)",
                "no-such-block", block=block_code,
            )
        return [block]
    found = await blocks_repo.list_blocks(conn)
    if not found:
        raise InviteProblem("no block in the database yet: run `thidua-bot setup FILE` first",
                            "no-block")
    if len(found) > 1:
        codes = ", ".join(b.code for b in found)
        raise InviteProblem(f"several blocks ({codes}): choose one with --block CODE",
                            "several-blocks", codes=codes)
    return found


class Redeem(StrEnum):
    REGISTERED = "registered"
    ALREADY = "already"  # the same unit again: harmless, nothing changes
    OTHER_UNIT = "other-unit"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used-up"
    UNIT_REMOVED = "unit-removed"


@dataclass(frozen=True)
class RedeemResult:
    outcome: Redeem
    block: Block | None = None
    unit: Unit | None = None
    other_unit: Unit | None = None
    queued: bool = False  # the chairs' notice went to the outbox: the caller wakes it


@dataclass(frozen=True)
class TelegramPerson:
    tg_user_id: int
    full_name: str
    username: str | None
    language_code: str | None


async def redeem(
    db: Database, clock: Clock, texts: Catalog, token: str, person: TelegramPerson
) -> RedeemResult:
    """Register `person` for the unit of the invite, or say exactly why not; the chairs
    hear of each new representative in the same transaction."""
    if not TOKEN_PATTERN.match(token):
        return RedeemResult(Redeem.UNKNOWN)
    now = clock.now()
    async with db.transaction() as conn:
        invite = await invites_repo.find_by_hash(conn, hash_token(token))
        if invite is None:
            return RedeemResult(Redeem.UNKNOWN)
        block = await blocks_repo.get_block(conn, invite.block_id)
        unit = await blocks_repo.get_unit(conn, invite.unit_id)
        assert block is not None and unit is not None
        current = await members.get_membership(conn, block.id, person.tg_user_id)
        if current is not None and not current.active:
            current = None  # removed earlier: a valid invite registers them again
        if current is not None and current.unit_id == unit.id:
            return RedeemResult(Redeem.ALREADY, block, unit)
        if current is not None:
            other = await blocks_repo.get_unit(conn, current.unit_id)
            if other is not None and other.active:
                await audit.record(
                    conn,
                    at=now,
                    action="invite.refused-other-unit",
                    block_id=block.id,
                    actor_tg_id=person.tg_user_id,
                    actor_unit_id=other.id,
                    subject=unit.code,
                )
                return RedeemResult(Redeem.OTHER_UNIT, block, unit, other)
        if invite.revoked_at is not None:
            return RedeemResult(Redeem.REVOKED, block, unit)
        if invite.expires_at <= now:
            return RedeemResult(Redeem.EXPIRED, block, unit)
        if not unit.active:
            return RedeemResult(Redeem.UNIT_REMOVED, block, unit)
        use = await invites_repo.use_invite(conn, invite.id)
        if use is None:
            return RedeemResult(Redeem.USED_UP, block, unit)
        await members.add_member(
            conn,
            block_id=block.id,
            unit_id=unit.id,
            tg_user_id=person.tg_user_id,
            full_name=person.full_name,
            username=person.username,
            language_code=person.language_code,
            now=now,
        )
        await audit.record(
            conn,
            at=now,
            action="member.registered",
            block_id=block.id,
            actor_tg_id=person.tg_user_id,
            actor_unit_id=unit.id,
            subject=unit.code,
            after={"name": person.full_name, "invite_id": invite.id},
        )
        queued = await _tell_chairs(conn, texts, block, unit, person, now=now)
    return RedeemResult(Redeem.REGISTERED, block, unit, queued=queued > 0)


async def _tell_chairs(
    conn: AsyncConnection, texts: Catalog, block: Block, unit: Unit, person: TelegramPerson,
    *, now: datetime,
) -> int:
    """Each new representative goes into the chair's digest (bot.services.digest), with
    «🚫 Gỡ …» beside it: a leaked invite link (it works for several registrations) is then
    noticed, and undone from the chat."""
    return await note_registration(conn, texts, block=block, unit=unit,
                                   tg_user_id=person.tg_user_id, name=person.full_name, now=now)
