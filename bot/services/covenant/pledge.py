"""A unit's slogan and targets (đăng ký chủ đề, chỉ tiêu): what it shows and how it changes.

Layers, most specific first: what the unit registered in the bot (unit_pledges), the
unit's own targets in the block file, the criterion's default target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.formatting import NumberInputError, parse_number, utf16_len
from bot.services.clock import Clock
from bot.services.covenant.hash import PledgeContent, PledgedTarget, clean
from storage import audit
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage import members as members_repo
from storage.covenant.records import Pledge
from storage.db import Database
from storage.records import BlockTree, Criterion, Member, Unit

# Criteria whose value is compared with a target (blockfile MEASURED_KINDS).
MEASURED_KINDS = ("number", "percent")
# A slogan is a line on a banner, not a report: longer is a paste by mistake.
SLOGAN_MAX = 300
PERCENT_MAX = Decimal(100)


@dataclass(frozen=True)
class TargetLine:
    criterion: Criterion
    default: Decimal | None  # the block's target for every unit
    own: Decimal | None  # the unit's own, from the bot or the block file

    @property
    def effective(self) -> Decimal | None:
        return self.own if self.own is not None else self.default


@dataclass(frozen=True)
class UnitPledge:
    unit: Unit
    slogan: str | None
    lines: tuple[TargetLine, ...]

    def content(self) -> PledgeContent:
        """The unit's section of the signed text."""
        return PledgeContent(
            unit_code=self.unit.code,
            unit_name=self.unit.name,
            slogan=self.slogan,
            targets=tuple(
                PledgedTarget(
                    line.criterion.code, line.criterion.title, line.criterion.kind,
                    line.criterion.measure, line.effective,
                )
                for line in self.lines
                if line.effective is not None
            ),
        )


@dataclass(frozen=True)
class PledgeGaps:
    """What a unit has not registered of its pledge (checked before it signs): its slogan,
    and its targets when it registered none of them (they follow the block's default)."""

    no_slogan: bool
    default_targets: tuple[TargetLine, ...]

    @property
    def any(self) -> bool:
        return self.no_slogan or bool(self.default_targets)


def pledge_gaps(pledge: UnitPledge) -> PledgeGaps:
    """A unit that registered some of its targets has seen the others and left them at
    the default on purpose; one that registered none is reminded of all of them."""
    untouched = all(x.own is None for x in pledge.lines)
    return PledgeGaps(not pledge.slogan, tuple(pledge.lines) if untouched else ())


def measured_criteria(tree: BlockTree) -> list[Criterion]:
    return [c for c in tree.criteria if c.kind in MEASURED_KINDS]


def unit_pledge(tree: BlockTree, unit: Unit, pledge: Pledge | None) -> UnitPledge:
    own = dict(unit.targets)
    if pledge is not None:
        own.update(pledge.targets)
    slogan = pledge.slogan if pledge is not None and pledge.slogan else unit.slogan
    lines = tuple(
        TargetLine(c, c.target, Decimal(own[c.code]) if c.code in own else None)
        for c in measured_criteria(tree)
    )
    return UnitPledge(unit=unit, slogan=slogan, lines=lines)


async def load_unit_pledge(conn: AsyncConnection, tree: BlockTree, unit: Unit) -> UnitPledge:
    return unit_pledge(tree, unit, await covenant_repo.get_pledge(conn, unit.id))


async def representative(
    conn: AsyncConnection, block_id: int, tg_user_id: int
) -> tuple[Member, Unit] | None:
    """The caller's active membership in an active unit of this block, read now."""
    for member in await members_repo.memberships_of(conn, tg_user_id):
        if member.block_id == block_id:
            unit = await blocks_repo.get_unit(conn, member.unit_id)
            if unit is not None and unit.active:
                return member, unit
    return None


async def is_locked(conn: AsyncConnection, block_id: int, unit_id: int) -> bool:
    """Signed the current version: the pledge is part of a signed text now."""
    version = await covenant_repo.latest_version(conn, block_id)
    if version is None:
        return False
    signature = await covenant_repo.signature_of(conn, version.id, unit_id)
    return signature is not None and not signature.superseded


class Edit(StrEnum):
    READY = "ready"  # begin_edit: the representative may edit this
    SAVED = "saved"
    LOCKED = "locked"
    NOT_MEMBER = "not-member"
    UNKNOWN_CRITERION = "unknown-criterion"
    BAD_NUMBER = "bad-number"
    OUT_OF_RANGE = "out-of-range"
    EMPTY = "empty"
    TOO_LONG = "too-long"


@dataclass(frozen=True)
class EditResult:
    outcome: Edit
    pledge: UnitPledge | None = None
    criterion: Criterion | None = None
    suggestion: str | None = None  # Babel's guess at what a bad number meant
    sign_version: int | None = None  # SAVED: the published version still to sign


@dataclass(frozen=True)
class PledgeScreen:
    pledge: UnitPledge
    locked: bool
    sign_version: int | None  # a published version the unit has still to sign


async def to_sign(conn: AsyncConnection, block_id: int, unit_id: int) -> int | None:
    """The published covenant version the unit has not signed (None: nothing to sign)."""
    version = await covenant_repo.latest_version(conn, block_id)
    if version is None:
        return None
    signature = await covenant_repo.signature_of(conn, version.id, unit_id)
    return version.id if signature is None or signature.superseded else None


def parse_target(raw: str, criterion: Criterion, lang: str) -> Decimal:
    """Read a target; raises NumberInputError (bad text) or ValueError (out of range)."""
    value = parse_number(raw, lang)
    if value <= 0 or (criterion.kind == "percent" and value > PERCENT_MAX):
        raise ValueError(raw)
    return value


async def view_pledge(db: Database, block_id: int, unit_id: int) -> tuple[UnitPledge, bool]:
    """The unit's pledge and whether it is locked (signed)."""
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, block_id)
        unit = await blocks_repo.get_unit(conn, unit_id)
        assert block is not None and unit is not None
        tree = await blocks_repo.load_tree(conn, block)
        return await load_unit_pledge(conn, tree, unit), await is_locked(conn, block_id, unit_id)


async def open_pledge(db: Database, block_id: int, unit_id: int) -> PledgeScreen:
    """/pledge (and «Đăng ký chủ đề, chỉ tiêu» on the signing confirmation): the unit's
    pledge, whether it is locked, and the version to sign once it is registered."""
    view, locked = await view_pledge(db, block_id, unit_id)
    async with db.read() as conn:
        version = await to_sign(conn, block_id, unit_id)
    return PledgeScreen(view, locked, version)


async def begin_edit(
    db: Database, clock: Clock, *, block_id: int, tg_user_id: int, unit_id: int,
    criterion_id: int | None,
) -> EditResult:
    """Check an edit button press against the database; someone else's press is audited."""
    async with db.transaction() as conn:
        found = await representative(conn, block_id, tg_user_id)
        if found is None or found[1].id != unit_id:
            await audit.record_refusal(  # repeats within a minute share one row
                conn, at=clock.now(), action="pledge.refused", block_id=block_id,
                actor_tg_id=tg_user_id, actor_unit_id=found[1].id if found else None,
                subject=str(unit_id), after={"criterion_id": criterion_id},
            )
            return EditResult(Edit.NOT_MEMBER)
        unit = found[1]
        if await is_locked(conn, block_id, unit.id):
            return EditResult(Edit.LOCKED)
        block = await blocks_repo.get_block(conn, block_id)
        assert block is not None
        view = await load_unit_pledge(conn, await blocks_repo.load_tree(conn, block), unit)
    if criterion_id is None:
        return EditResult(Edit.READY, view)
    line = next((x for x in view.lines if x.criterion.id == criterion_id), None)
    if line is None:
        return EditResult(Edit.UNKNOWN_CRITERION, view)
    return EditResult(Edit.READY, view, line.criterion)


async def set_slogan(
    db: Database, clock: Clock, *, block_id: int, unit_id: int, tg_user_id: int, text: str
) -> EditResult:
    slogan = clean(" ".join(text.split()))
    if not slogan:
        return EditResult(Edit.EMPTY)
    if utf16_len(slogan) > SLOGAN_MAX:  # as Telegram counts (emoji: 2)
        return EditResult(Edit.TOO_LONG)
    return await _edit(db, clock, block_id, unit_id, tg_user_id, slogan=slogan)


async def set_target(
    db: Database, clock: Clock, *, block_id: int, unit_id: int, tg_user_id: int,
    criterion_id: int, raw: str, lang: str,
) -> EditResult:
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, block_id)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    criterion = next((c for c in measured_criteria(tree) if c.id == criterion_id), None)
    if criterion is None:
        return EditResult(Edit.UNKNOWN_CRITERION)
    try:
        value = parse_target(raw, criterion, lang)
    except NumberInputError as exc:
        return EditResult(Edit.BAD_NUMBER, criterion=criterion, suggestion=exc.suggestion)
    except ValueError:
        return EditResult(Edit.OUT_OF_RANGE, criterion=criterion)
    return await _edit(db, clock, block_id, unit_id, tg_user_id, target=(criterion, value))


async def _edit(
    db: Database, clock: Clock, block_id: int, unit_id: int, tg_user_id: int, *,
    slogan: str | None = None, target: tuple[Criterion, Decimal] | None = None,
) -> EditResult:
    now = clock.now()
    async with db.transaction() as conn:
        found = await representative(conn, block_id, tg_user_id)
        criterion = target[0] if target else None
        if found is None or found[1].id != unit_id:  # moved unit since the prompt
            return EditResult(Edit.NOT_MEMBER, criterion=criterion)
        _, unit = found
        if await is_locked(conn, block_id, unit.id):
            return EditResult(Edit.LOCKED, criterion=criterion)
        old = await covenant_repo.get_pledge(conn, unit.id)
        new_slogan = old.slogan if old else None
        targets = dict(old.targets) if old else {}
        if slogan is not None:
            new_slogan = slogan
        if target is not None:
            targets[target[0].code] = str(target[1])
        await covenant_repo.put_pledge(
            conn, block_id=block_id, unit_id=unit.id, slogan=new_slogan, targets=targets,
            now=now, by_tg_id=tg_user_id,
        )
        await audit.record(
            conn, at=now, action="pledge.updated", block_id=block_id, actor_tg_id=tg_user_id,
            actor_unit_id=unit.id, subject=unit.code,
            before={"slogan": old.slogan, "targets": old.targets} if old else None,
            after={"slogan": new_slogan, "targets": targets},
        )
        block = await blocks_repo.get_block(conn, block_id)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
        view = await load_unit_pledge(conn, tree, unit)
        version = await to_sign(conn, block_id, unit.id)
    return EditResult(Edit.SAVED, pledge=view, criterion=criterion, sign_version=version)
