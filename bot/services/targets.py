"""Units' own targets (chỉ tiêu đăng ký), which replace a criterion's default target.

A unit's targets are what it registered with /pledge (the covenant feature, stored in
unit_pledges), falling back to the block file (`[[units]] targets = {...}`); criteria with
neither use their default target. This module is the one place that rule lives: every
score, chart and export reads targets through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import covenant as covenant_repo
from storage.covenant import Pledge
from storage.records import Unit


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _numbers(raw: dict[str, object] | None) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for code, value in (raw or {}).items():
        number = _decimal(value)
        if number is not None:
            found[code] = number
    return found


def file_targets(unit: Unit) -> dict[str, Decimal]:
    """The targets the block file gives the unit, by criterion code."""
    return _numbers(dict(unit.targets or {}))


def merged_targets(unit: Unit, pledge: Pledge | None) -> dict[str, Decimal]:
    """Registered targets first, then the block file's."""
    return {**file_targets(unit), **_numbers(dict(pledge.targets) if pledge else None)}


async def unit_targets(conn: AsyncConnection, unit: Unit) -> dict[str, Decimal]:
    """The unit's own targets by criterion code (criteria absent use their default)."""
    return merged_targets(unit, await covenant_repo.get_pledge(conn, unit.id))


async def block_targets(
    conn: AsyncConnection, units: Iterable[Unit]
) -> dict[int, dict[str, Decimal]]:
    """`unit_targets` of several units at once, by unit id, in one query (ranking, exports)."""
    chosen = list(units)
    if not chosen:
        return {}
    pledges = await covenant_repo.block_pledges(conn, chosen[0].block_id)
    return {unit.id: merged_targets(unit, pledges.get(unit.id)) for unit in chosen}
