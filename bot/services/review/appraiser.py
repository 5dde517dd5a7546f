"""Who appraises whose report: nobody appraises their own unit's. The chair unit's report
goes to the vice-chair unit (or a bot admin), every other report to the units with chair
rights. The caller's unit and admin status come from the database as resolved for the
update (bot.services.access); a button never says who is pressing."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import unit_has_chair_rights
from storage.records import Block, BlockTree, Unit


@dataclass(frozen=True)
class Appraiser:
    """The person appraising: their unit in the block (None: no seat) and admin rights."""

    unit_id: int | None
    is_admin: bool = False


def may_appraise(tree: BlockTree, report_unit: Unit, appraiser: Appraiser | None) -> bool:
    """Whether `appraiser` may change this unit's report. None: no person to check (a
    script or a test acting as the block's chair), as before this rule."""
    if appraiser is None:
        return True
    if appraiser.unit_id is not None and appraiser.unit_id == report_unit.id:
        return False  # one's own unit, whatever one's other rights
    if appraiser.is_admin:
        return True
    own = tree.unit(appraiser.unit_id) if appraiser.unit_id is not None else None
    if own is None:
        return False
    if report_unit.role == "chair":
        return own.role == "vice_chair" and unit_has_chair_rights(tree.block, own)
    return unit_has_chair_rights(tree.block, own)


def appraisers_of(tree: BlockTree, report_unit: Unit) -> tuple[Unit, ...]:
    """The units whose representatives appraise this unit's report (what the bot names
    when it refuses someone else): none left means a bot admin does it."""
    block: Block = tree.block
    if report_unit.role == "chair":
        return tuple(u for u in tree.units if u.role == "vice_chair" and u.id != report_unit.id
                     and unit_has_chair_rights(block, u))
    return tuple(u for u in tree.units if u.id != report_unit.id
                 and unit_has_chair_rights(block, u))
