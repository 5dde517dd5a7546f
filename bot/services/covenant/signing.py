"""Signing the covenant for a unit: who may, what exactly is signed, k/N and the closing.

Every check runs against the database at the moment of the press; the callback data only
says which version and unit the press claims to be about. The group hears of each
signature (k/N, on its progress message) and of the last one in the signature's own
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.formatting import format_datetime
from bot.services import notify
from bot.services.clock import Clock
from bot.services.covenant.callbacks import CONFIRM_HASH_DIGITS
from bot.services.covenant.hash import PledgeContent, sha256_hex, signed_text
from bot.services.covenant.pledge import (
    PledgeGaps,
    load_unit_pledge,
    pledge_gaps,
    representative,
)
from bot.services.covenant.state import CovenantState, load_state
from bot.services.covenant.versions import bring_up_to_date
from bot.services.progress.posts import refresh as refresh_progress
from bot.texts import Catalog, Html
from storage import audit
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage import members as members_repo
from storage.covenant.records import CovenantVersion, Signature
from storage.db import Database
from storage.records import Block, Unit


class Sign(StrEnum):
    READY = "ready"  # prepare: show the confirmation
    SIGNED = "signed"
    ALREADY = "already"
    NOT_PUBLISHED = "not-published"
    NOT_MEMBER = "not-member"
    OTHER_UNIT = "other-unit"
    UNIT_REMOVED = "unit-removed"
    STALE = "stale"  # the press is about a replaced version
    CHANGED = "changed"  # the text to sign changed since the prompt


@dataclass(frozen=True)
class SignResult:
    outcome: Sign
    block: Block | None = None
    version: CovenantVersion | None = None
    unit: Unit | None = None
    pledge: PledgeContent | None = None
    text_hash: str | None = None
    signature: Signature | None = None  # the new one, or the one already there
    signed: int = 0
    total: int = 0
    queued: bool = False  # notices went to the outbox: the caller wakes it
    # READY: what the unit has not registered (slogan, own targets): the confirmation
    # warns and offers to register first (issue 18: checks before a unit commits).
    gaps: PledgeGaps | None = None

    @property
    def confirm_key(self) -> str:
        return (self.text_hash or "")[:CONFIRM_HASH_DIGITS]


@dataclass(frozen=True)
class _Checked:
    outcome: Sign
    state: CovenantState | None = None
    unit: Unit | None = None


async def _check(
    conn: AsyncConnection, block: Block, version_id: int | None, unit_id: int | None,
    tg_user_id: int, step: str, clock: Clock,
) -> _Checked:
    """Rights and freshness; refusals of someone else's press are audited."""
    found = await representative(conn, block.id, tg_user_id)
    if found is None:
        membership = await members_repo.get_membership(conn, block.id, tg_user_id)
        removed = membership is not None and not await _unit_active(conn, membership.unit_id)
        outcome = Sign.UNIT_REMOVED if removed else Sign.NOT_MEMBER
        await _refused(conn, block, tg_user_id, None, unit_id, outcome, step, clock)
        return _Checked(outcome)
    _, unit = found
    if unit_id is not None and unit_id != unit.id:
        await _refused(conn, block, tg_user_id, unit.id, unit_id, Sign.OTHER_UNIT,
                       step, clock)
        return _Checked(Sign.OTHER_UNIT, unit=unit)
    state = await load_state(conn, block)
    if state.version is None:
        return _Checked(Sign.NOT_PUBLISHED, state, unit)
    if version_id is not None and version_id != state.version.id:
        return _Checked(Sign.STALE, state, unit)
    return _Checked(Sign.READY, state, unit)


async def _unit_active(conn: AsyncConnection, unit_id: int) -> bool:
    unit = await blocks_repo.get_unit(conn, unit_id)
    return unit is not None and unit.active


async def _refused(
    conn: AsyncConnection, block: Block, tg_user_id: int, own_unit_id: int | None,
    claimed_unit_id: int | None, outcome: Sign, step: str, clock: Clock,
) -> None:
    await audit.record_refusal(  # repeats within a minute share one row
        conn, at=clock.now(), action="covenant.sign-refused", block_id=block.id,
        actor_tg_id=tg_user_id, actor_unit_id=own_unit_id, subject=str(claimed_unit_id),
        after={"reason": str(outcome), "step": step},
    )


async def _block_of(conn: AsyncConnection, block_id: int | None, version_id: int | None
                    ) -> Block | None:
    if version_id is not None:
        version = await covenant_repo.get_version(conn, version_id)
        block_id = version.block_id if version is not None else None
    return await blocks_repo.get_block(conn, block_id) if block_id is not None else None


async def prepare(
    db: Database, clock: Clock, *, tg_user_id: int, block_id: int | None = None,
    version_id: int | None = None, unit_id: int | None = None,
) -> SignResult:
    """What the confirmation will sign: from a sign button (version, unit) or /sign (block)."""
    async with db.transaction() as conn:
        block = await _block_of(conn, block_id, version_id)
        if block is None:
            return SignResult(Sign.NOT_PUBLISHED)
        checked = await _check(conn, block, version_id, unit_id, tg_user_id, "prepare", clock)
        return await _outcome(conn, block, checked)


async def prepare_current(
    db: Database, clock: Clock, texts: Catalog, *, tg_user_id: int, block_id: int
) -> SignResult:
    """/sign: `prepare` after publishing an edit of the block file not published yet."""
    queued = await bring_up_to_date(db, clock, texts, block_id)
    result = await prepare(db, clock, tg_user_id=tg_user_id, block_id=block_id)
    return replace(result, queued=queued)


async def _outcome(conn: AsyncConnection, block: Block, checked: _Checked) -> SignResult:
    state, unit = checked.state, checked.unit
    if state is None or state.version is None or unit is None:
        return SignResult(checked.outcome, block, unit=unit)
    version = state.version
    base = SignResult(checked.outcome, block, version, unit, signed=state.signed,
                      total=state.total)
    if checked.outcome is not Sign.READY:
        return base
    if unit.id in state.signatures:
        return replace(base, outcome=Sign.ALREADY, signature=state.signatures[unit.id])
    unit_pledge = await load_unit_pledge(conn, state.tree, unit)
    pledge = unit_pledge.content()
    digest = sha256_hex(signed_text(version.text, pledge, version.language))
    return replace(base, pledge=pledge, text_hash=digest, gaps=pledge_gaps(unit_pledge))


async def sign(
    db: Database, clock: Clock, texts: Catalog, *, version_id: int, unit_id: int,
    tg_user_id: int, signer_name: str, expected: str,
) -> SignResult:
    """Record the unit's signature, tell the group k/N and close when the last unit signs."""
    now = clock.now()
    async with db.transaction() as conn:
        block = await _block_of(conn, None, version_id)
        if block is None:
            return SignResult(Sign.NOT_PUBLISHED)
        checked = await _check(conn, block, version_id, unit_id, tg_user_id, "confirm", clock)
        ready = await _outcome(conn, block, checked)
        if ready.outcome is not Sign.READY:
            return ready
        assert ready.version and ready.unit and ready.pledge and ready.text_hash
        if ready.confirm_key != expected:
            return SignResult(Sign.CHANGED, block, ready.version, ready.unit, ready.pledge,
                              ready.text_hash, gaps=ready.gaps)
        version, unit = ready.version, ready.unit
        text = signed_text(version.text, ready.pledge, version.language)
        added = await covenant_repo.add_signature(
            conn, block_id=block.id, version_id=version.id, unit_id=unit.id,
            signer_tg_id=tg_user_id, signer_name=signer_name, signed_at=now,
            pledge=ready.pledge.as_dict(), signed_text=text, text_hash=ready.text_hash,
        )
        state = await load_state(conn, block)
        signature = state.signatures.get(unit.id)
        assert signature is not None
        result = SignResult(Sign.SIGNED if added else Sign.ALREADY, block, version, unit,
                            ready.pledge, signature.text_hash, signature, state.signed,
                            state.total, queued=added)
        if not added:
            return result
        await audit.record(
            conn, at=now, action="covenant.signed", block_id=block.id, actor_tg_id=tg_user_id,
            actor_unit_id=unit.id, subject=unit.code,
            after={"version": version.number, "hash": signature.text_hash},
        )
        await _tell_group(conn, texts, state, unit, now)
    return result


async def _tell_group(
    conn: AsyncConnection, texts: Catalog, state: CovenantState, unit: Unit, now: datetime
) -> None:
    """k/N on the group's pinned progress message (edited in place, bot.services.progress),
    and the closing list when the last unit has signed. Each message is its own batch: the
    outbox tells the chair about a failed batch once."""
    block, version = state.block, state.version
    assert version is not None
    group = notify.group(block)
    await refresh_progress(conn, texts, block, now, post_if_none=True)
    if state.signed == state.total:
        closed = f"covenant:{version.id}:closed"
        await notify.queue(conn, texts, group, "covenant-group-closed", block=block,
                           batch=closed, dedupe=closed, now=now,
                           params=lambda lang: closing_params(texts, lang, state))


def closing_params(texts: Catalog, lang: str, state: CovenantState) -> dict[str, Any]:
    """The closing message's title, count and every unit with the time it signed."""
    assert state.version is not None
    lines = [
        texts.text(lang, "covenant-closing-line", n=n, unit=u.name,
                   when=format_datetime(state.signatures[u.id].signed_at, state.block.tz))
        for n, u in enumerate(state.tree.units, start=1)
    ]
    return {"title": state.version.title, "total": state.total,
            "lines": Html("\n".join(lines))}
